#!/usr/bin/env bash
# Run the libFuzzer harnesses of tests/fuzz (docs/HARDENING.md, "Fuzzing").
#
# Usage: scripts/hardening/fuzz.sh [SECONDS] [HARNESS...]
#   SECONDS per harness (default 60; CI uses 60). HARNESS: load, shipments,
#   builder (default all three, two at a time).
#   Longer run, e.g. one hour each:   scripts/hardening/fuzz.sh 3600
#   The corpus grows in build-sanitize/tests/fuzz/work-<harness>/corpus;
#   a crash leaves its input in .../work-<harness>/artifacts/ and the run
#   fails: fix the bug, then copy the input to tests/fuzz/regressions/<harness>/.
set -uo pipefail
source "$(dirname "$0")/common.sh"
B=${SCSMS_SANITIZE_BUILD:-build-sanitize}
SECONDS_EACH=60
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
  SECONDS_EACH=$1; shift
fi
export SCSMS_FUZZ_SECONDS=$SECONDS_EACH
if [ ! -f "$B/build.ninja" ]; then
  bash scripts/hardening/sanitize.sh --suite fuzz >/dev/null || { echo "fuzz: build failed"; exit 1; }
fi
/usr/bin/ninja -C "$B" >/dev/null || { echo "fuzz: build failed"; exit 1; }
tests=()
for h in "$@"; do tests+=("run_$h"); done
[ ${#tests[@]} -eq 0 ] && tests=(--suite fuzz-run)
/usr/bin/meson test -C "$B" --no-rebuild --print-errorlogs --num-processes "$NPROC" \
  --logbase fuzz -t $(( (SECONDS_EACH + 300) / 1800 + 1 )) "${tests[@]}"
rc=$?
grep -h ": no crash" "$B/meson-logs/fuzz.txt" 2>/dev/null | sed 's/^/  /'
exit $rc
