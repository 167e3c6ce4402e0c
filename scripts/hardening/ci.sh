#!/usr/bin/env bash
# The hardening checks CI runs after the main suite (scripts/test.sh calls
# this; docs/HARDENING.md):
#   1. sanitize.sh  clang ASan + UBSan build (-Werror): C suite, fuzz replays,
#                   CLI checks, examples
#   2. fuzz.sh      each libFuzzer harness for SCSMS_FUZZ_SECONDS (default 60)
#   3. tsan.sh      gcc ThreadSanitizer build (-Werror): concurrency tests
#   4. aarch64.sh   cross build for arm64 (-Werror), C suites under qemu-user
#                   (SCSMS_AARCH64=0 skips it)
# (cppcheck, the ABI, symbol and header checks run in the main build's
# `meson test`: suites static and abi.)
# Each step leaves a meson JSON log that scripts/test.sh counts; a step whose
# build fails leaves none, which scripts/test.sh counts as a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
rm -f build-sanitize/meson-logs/sanitize.json build-sanitize/meson-logs/fuzz.json \
      build-tsan/meson-logs/tsan.json build-aarch64/meson-logs/aarch64.json
rc=0
t0=$(date +%s)
echo "== hardening: ASan + UBSan (clang) =="
bash scripts/hardening/sanitize.sh || rc=1
t1=$(date +%s)
echo "== hardening: fuzzing, ${SCSMS_FUZZ_SECONDS:-60} s per harness =="
bash scripts/hardening/fuzz.sh "${SCSMS_FUZZ_SECONDS:-60}" || rc=1
t2=$(date +%s)
echo "== hardening: ThreadSanitizer (gcc) =="
bash scripts/hardening/tsan.sh || rc=1
t3=$(date +%s)
rm -f build-aarch64/SKIPPED
if [ "${SCSMS_AARCH64:-1}" = 1 ]; then
  echo "== portability: aarch64 cross build, C suites under qemu-user =="
  bash scripts/hardening/aarch64.sh
  arc=$?
  if [ $arc -eq 77 ]; then
    mkdir -p build-aarch64 && touch build-aarch64/SKIPPED   # counted as skipped
  elif [ $arc -ne 0 ]; then
    rc=1
  fi
fi
t4=$(date +%s)
echo "hardening: sanitize $((t1 - t0)) s, fuzz $((t2 - t1)) s, tsan $((t3 - t2)) s, aarch64 $((t4 - t3)) s"
exit $rc
