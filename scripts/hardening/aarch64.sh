#!/usr/bin/env bash
# aarch64 (arm64) portability check: cross-builds the library, the CLI and
# the C test programs with Debian's gcc-aarch64-linux-gnu (-Werror: the
# aarch64 warning check, no AVX2 code compiled), then runs the C suites under
# qemu-user emulation. qemu-user 7.2 on this host cannot join a thread (a
# ten-line pthread_create/pthread_join program hangs there too), so the tests
# that start threads are left out (SCSMS_TEST_EXCLUDE, tests/cu_main.h): the
# threads, simulate and limits suites and kernel's threaded tests
# (docs/HARDENING.md).
#
# Installs what it needs (Debian 12): gcc-aarch64-linux-gnu, qemu-user, and
# libcjson-dev / libcunit1-dev for arm64 (adds the arm64 architecture to dpkg).
# Usage: scripts/hardening/aarch64.sh [meson test args...]   (build-aarch64)
set -uo pipefail
source "$(dirname "$0")/common.sh"
B=${SCSMS_AARCH64_BUILD:-build-aarch64}
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
need=()
command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu)
command -v qemu-aarch64 >/dev/null || need+=(qemu-user)
if [ ! -e /usr/lib/aarch64-linux-gnu/pkgconfig/libcjson.pc ] ||
   [ ! -e /usr/lib/aarch64-linux-gnu/libcunit.so ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $SUDO dpkg --add-architecture arm64 || { echo "aarch64: skipped: dpkg refused arm64"; exit 77; }
    $SUDO apt-get update -q >/dev/null || { echo "aarch64: skipped: apt-get update failed"; exit 77; }
  fi
  need+=(libcjson-dev:arm64 libcunit1-dev:arm64)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "aarch64: installing ${need[*]}"
  # a machine whose package sources cannot give these is not a failure of
  # the code: exit 77, which scripts/hardening/ci.sh reports as skipped
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-upgrade "${need[@]}" >/dev/null ||
    { echo "aarch64: skipped: cannot install ${need[*]}"; exit 77; }
fi
configure "$B" --cross-file scripts/cross/aarch64-linux-gnu.ini --buildtype=debugoptimized \
  -Dwerror=true -Dpython=disabled -Djava=disabled || exit 1
/usr/bin/ninja -C "$B" || { echo "aarch64: build failed (a warning is an error here)"; exit 1; }
file -L "$B/lib/libscsms.so.0" | grep -q 'ARM aarch64' || { echo "aarch64: not an aarch64 library"; exit 1; }
[ $# -eq 0 ] && set -- core load save builder assess training plan audit score render \
  public_api oom kernel erp_score fuzz_load fuzz_shipments fuzz_builder
SCSMS_TEST_EXCLUDE=${SCSMS_TEST_EXCLUDE-thread,bad input} \
/usr/bin/meson test -C "$B" --no-rebuild --print-errorlogs --num-processes "$NPROC" \
  --logbase aarch64 "$@"
