#!/usr/bin/env bash
# Run every test (C, Python, Java) on a fresh Debian 12 machine: installs the
# missing packages, configures, builds, runs `meson test`, and ends with one
# plain line "N passed, N failed". Exit status non-zero on any failure or
# when no test ran.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/bin:$PATH"
BUILD=${SCSMS_BUILD_DIR:-build}

if ! SCSMS_TEST_EXTRAS=1 bash scripts/setup.sh; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

rm -f "$BUILD/meson-logs/testlog.json"
/usr/bin/meson test -C "$BUILD" --print-errorlogs --num-processes 2 "$@"
rc=$?

# Hardening (docs/HARDENING.md): ASan + UBSan, fuzzing, ThreadSanitizer.
# SCSMS_HARDENING=0 skips it.
logs=("$BUILD/meson-logs/testlog.json")
if [ "${SCSMS_HARDENING:-1}" = 1 ] && [ $# -eq 0 ]; then
  bash scripts/hardening/ci.sh || rc=1
  logs+=(build-sanitize/meson-logs/sanitize.json build-sanitize/meson-logs/fuzz.json
         build-tsan/meson-logs/tsan.json)
  # the aarch64 check: its log, unless it could not install its tools (skipped)
  if [ "${SCSMS_AARCH64:-1}" = 1 ] && [ ! -e build-aarch64/SKIPPED ]; then
    logs+=(build-aarch64/meson-logs/aarch64.json)
  fi
fi

read -r passed failed skipped < <(/usr/bin/python3 - "${logs[@]}" <<'PY'
import json, sys
p = f = s = 0
for path in sys.argv[1:]:
    try:
        with open(path) as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                r = json.loads(line)["result"]
                if r in ("OK", "EXPECTEDFAIL"):
                    p += 1
                elif r == "SKIP":
                    s += 1
                else:
                    f += 1
    except OSError:
        f += 1   # no log: that run did not happen (its build failed)
print(p, f, s)
PY
)
[ "${SCSMS_HARDENING:-1}" = 1 ] && [ $# -eq 0 ] && [ -e build-aarch64/SKIPPED ] && skipped=$((skipped + 1))
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no tests ran"
  failed=1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$failed" -ne 0 ] || [ "$rc" -ne 0 ]; then
  exit 1
fi
exit 0
