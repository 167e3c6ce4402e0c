#!/usr/bin/env bash
# Build the library, the C tests, the CLI and the fuzz harnesses with clang
# under AddressSanitizer + UndefinedBehaviorSanitizer (leaks included), with
# -Werror, and run the C suite, the fuzz replays (every regression input and
# seed), the CLI checks and the examples (docs/HARDENING.md).
#
# Usage: scripts/hardening/sanitize.sh [meson test args...]
#   Build folder: build-sanitize (SCSMS_SANITIZE_BUILD). The same build holds
#   the libFuzzer binaries that scripts/hardening/fuzz.sh runs.
#   SCSMS_SANITIZE_CC=gcc (with another SCSMS_SANITIZE_BUILD) for gcc's
#   sanitizers, without the fuzzers.
set -uo pipefail
source "$(dirname "$0")/common.sh"
B=${SCSMS_SANITIZE_BUILD:-build-sanitize}
CC=${SCSMS_SANITIZE_CC:-clang}
cflags="-fno-sanitize-recover=undefined -fno-omit-frame-pointer"
fuzzing=false
if [[ $CC == *clang* ]]; then   # libFuzzer: clang only
  cflags="-fsanitize=fuzzer-no-link $cflags"
  fuzzing=true
fi
CC=$CC configure "$B" --buildtype=debugoptimized \
  -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true -Dfuzzing=$fuzzing \
  "-Dc_args=$cflags" -Dpython=disabled -Djava=disabled || exit 1
/usr/bin/ninja -C "$B" || { echo "sanitize: build failed (a warning is an error here)"; exit 1; }
if [ $# -eq 0 ]; then
  set -- --suite c --suite fuzz --suite cli --suite examples
fi
/usr/bin/meson test -C "$B" --no-rebuild --print-errorlogs --num-processes "$NPROC" \
  --logbase sanitize "$@"
