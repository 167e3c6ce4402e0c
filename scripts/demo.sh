#!/usr/bin/env bash
# The main job on the bundled example model: installs what is missing,
# builds, then runs `scsms` on examples/data/exporter.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec build/cli/scsms "$@"
