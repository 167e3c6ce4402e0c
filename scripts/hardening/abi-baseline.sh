#!/usr/bin/env bash
# Regenerate the committed ABI baseline abi/libscsms.so.<soname>.abi from a
# build (docs/HARDENING.md, "ABI"). Run it at a release, after the review of
# every change `meson test --suite abi` reported, and commit the result.
#
# Usage: scripts/hardening/abi-baseline.sh [BUILD_DIR]   (default: build)
# The build must be a normal one (not a sanitizer build) with debug
# information (debugoptimized, the default).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
/usr/bin/ninja -C "$BUILD" >/dev/null
lib="$BUILD/lib/$(basename "$(readlink -f "$BUILD/lib/libscsms.so")")"
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
mkdir -p abi
out="abi/$soname.abi"
abidw --drop-private-types --headers-dir include/scsms --headers-dir "$BUILD/include/scsms" \
      --out-file "$out" "$lib"
echo "wrote $out from $lib ($(grep -c '<elf-symbol' "$out") symbols)"
SCSMS_WRITE_CONSTANTS=abi/libscsms.constants /usr/bin/python3 tests/check_headers.py include "$BUILD/include" cc >/dev/null
echo "wrote abi/libscsms.constants"
