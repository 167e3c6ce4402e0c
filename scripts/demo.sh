#!/usr/bin/env bash
# The main job on the bundled example model: installs what is missing,
# builds, then runs `scsms` with no arguments (or with yours): the top of
# the risk register, the security plan, the readiness verdict, and the
# HTML report written to ./scsms-report.html in the folder you ran this
# from (docs/man/scsms-run.md).
set -euo pipefail
here=$PWD
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/setup.sh
build=${SCSMS_BUILD_DIR:-build}
[[ $build = /* ]] || build="$root/$build"
cd "$here"
exec "$build/cli/scsms" "$@"
