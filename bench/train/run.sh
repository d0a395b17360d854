#!/usr/bin/env bash
# Builds labbench-train in Release and runs the trainer benchmark against PyTorch, numpy and the
# sgemm-only bound (see README.md). Needs `scripts/setup --bench` (python3-torch) once.
#   bench/train/run.sh [--rounds N] [--quick]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${LABBENCH_BENCH_BUILD:-$root/build/bench-train}
data=${LABBENCH_TEST_MNIST_DIR:-$root/data/mnist}
if [[ ! -f $build/build.ninja ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target labbench-train labbench-train-sgemm-bound labbench-train-fma-peak -j2 >/dev/null
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "PyTorch missing: run scripts/setup --bench" >&2; exit 1; }
exec /usr/bin/python3 "$root/bench/train/run_bench.py" "$build/bin" "$data" "$@"
