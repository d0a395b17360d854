#!/usr/bin/env bash
# Builds what the serving bench needs in an existing build folder (default build/ci), installs
# its tools (install.sh) and runs run_bench.py. See README.md.
#   bench/serve/run.sh [--quick] [--seconds N] [--batch-delay-us US] ...
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${LABBENCH_BENCH_BUILD:-$root/build/ci}
data=${LABBENCH_TEST_MNIST_DIR:-$root/data/mnist}
[[ -f $build/build.ninja ]] || { echo "no build in $build: configure one (cmake --preset ci)" >&2; exit 1; }
cmake --build "$build" -j2 --target labbench labbench-serve labbench-supervisor labbench-train \
  labbench_resources >/dev/null
"$root/bench/serve/install.sh" "$build/bench/serve/venv"
exec /usr/bin/python3 "$root/bench/serve/run_bench.py" --bin "$build/bin" --data "$data" \
  --work "$build/bench/serve" --venv "$build/bench/serve/venv" "$@"
