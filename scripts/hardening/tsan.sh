#!/usr/bin/env bash
# ThreadSanitizer (gcc -fsanitize=thread) over the concurrent code: the
# library's own threads (simulation, batch scoring) and caller threads
# sharing one model or one snapshot (tests/test_threads.c), plus the
# simulate, kernel and score suites. The whole tree is built with -Werror,
# which is also the gcc warning check (docs/HARDENING.md).
#
# Usage: scripts/hardening/tsan.sh [meson test args...]   (build-tsan)
set -uo pipefail
source "$(dirname "$0")/common.sh"
B=${SCSMS_TSAN_BUILD:-build-tsan}
CC=${SCSMS_TSAN_CC:-gcc} configure "$B" --buildtype=debugoptimized \
  -Db_sanitize=thread -Db_lundef=false -Dwerror=true -Dpython=disabled -Djava=disabled || exit 1
/usr/bin/ninja -C "$B" || { echo "tsan: build failed (a warning is an error here)"; exit 1; }
[ $# -eq 0 ] && set -- threads simulate kernel score
/usr/bin/meson test -C "$B" --no-rebuild --print-errorlogs --num-processes "$NPROC" \
  --logbase tsan "$@"
