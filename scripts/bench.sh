#!/usr/bin/env bash
# Run every benchmark once, in one session, and print the machine they ran
# on. Each benchmark compares the library against baselines in the same run
# and prints ratios (docs/PERFORMANCE.md). Usage: bash scripts/bench.sh [LOG]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/bin:$PATH"
bash scripts/setup.sh >/dev/null
log=${1:-/dev/stdout}
{
  echo "== machine"
  date -u +"%Y-%m-%d %H:%M UTC"
  lscpu | grep -E "Model name|^CPU\(s\)|Thread|MHz" || true
  uname -srm
  gcc --version | head -1
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  for b in load assess plan score simulate; do
    if [ -x "build/bench/bench_$b" ]; then
      echo
      echo "== bench_$b"
      "build/bench/bench_$b"
    fi
  done
} 2>&1 | tee "$log"
