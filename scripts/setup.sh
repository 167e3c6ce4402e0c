#!/usr/bin/env bash
# Install the Debian 12 packages libscsms needs (only the missing ones),
# then configure and build into ./build. Used by scripts/demo.sh and
# scripts/test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(meson ninja-build pkg-config gcc swig libcjson-dev libcunit1-dev
      python3 python3-dev python3-pytest python3-numpy python3-mesonpy
      openjdk-17-jdk-headless junit5)
if [ "${SCSMS_TEST_EXTRAS:-0}" = 1 ]; then
  PKGS+=(valgrind clang python3-distributed abigail-tools chromium libclang-rt-14-dev cppcheck)
fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-upgrade -qq "${missing[@]}" >/dev/null
fi

# Debian's python3, whatever `python3` a shell finds first on PATH.
export PATH="/usr/bin:$PATH"
BUILD=${SCSMS_BUILD_DIR:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  /usr/bin/meson setup "$BUILD" --buildtype=debugoptimized >/dev/null
fi
/usr/bin/ninja -C "$BUILD" >/dev/null
echo "setup: built into $BUILD"
