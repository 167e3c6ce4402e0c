#!/usr/bin/env bash
# Static analysis with cppcheck over lib/ and cli/ (docs/HARDENING.md):
# warnings, portability and performance checks, with the committed
# suppressions of scripts/hardening/cppcheck-suppressions.txt (each one a
# false positive, with its reason). Exit 1 on any finding.
#
# Usage: scripts/hardening/static.sh [BUILD_DIR]
#   BUILD_DIR (default build) supplies the generated scsms/version.h.
# Registered as `meson test --suite static` in normal builds.
set -uo pipefail
source "$(dirname "$0")/common.sh"
B=${1:-${SCSMS_BUILD_DIR:-build}}
command -v cppcheck >/dev/null || { echo "static: cppcheck is not installed (apt-get install cppcheck)"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# One configuration, as gcc on x86-64 compiles the library.
cppcheck --quiet --std=c11 --enable=warning,performance,portability --inline-suppr \
  --error-exitcode=1 -j "$NPROC" \
  -I include -I "$B/include" -I lib \
  -D_POSIX_C_SOURCE=200809L -DSCSMS_BUILDING -DSCSMS_HAVE_AVX2 -D__GNUC__=12 -D__x86_64__ \
  --suppress=missingIncludeSystem --suppressions-list=scripts/hardening/cppcheck-suppressions.txt \
  --template='{file}:{line}: {severity} [{id}] {message}' \
  lib cli >"$out" 2>&1
rc=$?
cat "$out"
n=$(grep -cE '^[^ ].*: (error|warning|performance|portability) \[' "$out")
echo "cppcheck $(cppcheck --version | sed 's/Cppcheck //'): $n findings in lib/ and cli/"
[ "$rc" -eq 0 ] && [ "$n" -eq 0 ]
