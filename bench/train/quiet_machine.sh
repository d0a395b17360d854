#!/usr/bin/env bash
# Builds labbench-train, the sgemm bound, the FMA peak probe and the per-shape GEMM timer with g++ alone (no CMake, no Qt) and runs the trainer
# benchmark pinned to two cores: for a quiet machine where the full build is not installed.
#   bench/train/quiet_machine.sh DATA_DIR OUT_DIR [PYTHON]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$1 out=$2 py=${3:-/usr/bin/python3}
mkdir -p "$out/bin"
flags=(-std=c++20 -O2 -DNDEBUG -I"$root" -I"$root/core" $(pkg-config --cflags openblas nettle))
libs=($(pkg-config --libs openblas nettle) -lz -lpthread -ldl)
objs=()
for f in "$root"/core/train/*.cpp; do
  o="$out/$(basename "$f" .cpp).o"
  extra=()
  case $(basename "$f") in
    CpuBackend.cpp) extra=(-O3 -ffp-contract=off) ;;
    GemmAvx2.cpp | GemmAvx512.cpp) extra=(-O3 -ffp-contract=off) ;;
  esac
  g++ "${flags[@]}" "${extra[@]}" -c "$f" -o "$o" &
  objs+=("$o")
done
wait
g++ "${flags[@]}" -I"$root/app/labbench-train" "$root"/app/labbench-train/*.cpp "${objs[@]}" "${libs[@]}" -o "$out/bin/labbench-train"
g++ "${flags[@]}" "$root/bench/train/sgemm_bound.cpp" "${objs[@]}" "${libs[@]}" -o "$out/bin/labbench-train-sgemm-bound"
g++ "${flags[@]}" "$root/bench/train/fma_peak.cpp" -lpthread -o "$out/bin/labbench-train-fma-peak"
g++ "${flags[@]}" "$root/bench/train/gemm_shapes.cpp" "${objs[@]}" "${libs[@]}" -o "$out/bin/labbench-train-gemm-shapes"
exec taskset -c 0,1 "$py" "$root/bench/train/run_bench.py" "$out/bin" "$data" --python "$py" "${@:4}"
