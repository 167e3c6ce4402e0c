#!/usr/bin/env bash
# The C suite and the fuzz replays under valgrind memcheck: no errors, no
# definite or indirect leaks (docs/HARDENING.md). Uses the normal build.
# About 5 minutes on two cores (test_limits alone takes about 3).
#
# Usage: scripts/hardening/valgrind.sh [meson test args...]   (build)
set -uo pipefail
source "$(dirname "$0")/common.sh"
B=${SCSMS_BUILD_DIR:-build}
configure "$B" --buildtype=debugoptimized || exit 1
/usr/bin/ninja -C "$B" >/dev/null || { echo "valgrind: build failed"; exit 1; }
[ $# -eq 0 ] && set -- --suite c --suite fuzz
/usr/bin/meson test -C "$B" --no-rebuild --print-errorlogs --num-processes "$NPROC" \
  --setup valgrind "$@"
