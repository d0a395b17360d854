#!/usr/bin/env bash
# The one prepared script for a lent GPU machine (issue 22; it follows the team notes'
# gpu-machine.md). From the repository root, with build/gpu-deps made by gpu_deps.sh carried:
#   run(command="bench/gpu/gpu_run.sh", carry=["build/gpu-deps"], timeout_s=600)
# Builds the Qt-free trainer with the CUDA plugin against the carried Debian libraries, then runs
# the tests, the GPU epoch table, the per-operation breakdown and the PyTorch comparison, each
# under its own time limit so one that hangs cannot eat the session's device time. Every log
# goes to $OUT (the device tool's folder that comes back; build/gpu-out elsewhere), and
# summary.txt lists each step's exit status and seconds. About 5 minutes on 16 cores (the
# build took 9 s there); the limits add up to 11.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
deps=${LABBENCH_GPU_DEPS:-$root/build/gpu-deps}
out=${OUT:-$root/build/gpu-out}
build=$root/build/gpu
mkdir -p "$out"
if [[ ! -d $deps/usr/include/x86_64-linux-gnu/openblas-pthread ]]; then
  echo "gpu_run.sh: no OpenBLAS in $deps: run bench/gpu/gpu_deps.sh on the Debian machine and carry" \
       "build/gpu-deps" >&2
  exit 2
fi
# OpenBLAS's and Nettle's own pkg-config files, pointed at the carried copies.
pcdir=$(mktemp -d)
blas=$deps/usr/lib/x86_64-linux-gnu/openblas-pthread
sed -e "s|^libdir=.*|libdir=$blas/|" \
    -e "s|^includedir=.*|includedir=$deps/usr/include/x86_64-linux-gnu/openblas-pthread/|" \
    "$blas/pkgconfig/openblas.pc" > "$pcdir/openblas.pc"
sed -e "s|^prefix=.*|prefix=$deps/usr|" "$deps/usr/lib/x86_64-linux-gnu/pkgconfig/nettle.pc" \
    > "$pcdir/nettle.pc"
export PKG_CONFIG_PATH=$pcdir
export LD_LIBRARY_PATH=$blas:$deps/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
: > "$out/summary.txt"

# step NAME SECONDS COMMAND...: runs it with its output in $OUT/NAME.txt, records how it ended.
step() {
  local name=$1 limit=$2 start rc
  shift 2
  start=$(date +%s)
  timeout "$limit" "$@" > "$out/$name.txt" 2>&1
  rc=$?
  echo "$name: exit $rc$([[ $rc == 124 ]] && echo " (timed out after ${limit} s)"), $(( $(date +%s) - start )) s" \
    | tee -a "$out/summary.txt"
  tail -n 12 "$out/$name.txt"
  return "$rc"
}

step device 20 nvidia-smi
step configure 120 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DLABBENCH_TRAIN_ONLY=ON -DLABBENCH_CUDA=ON -DZLIB_INCLUDE_DIR="$deps/usr/include" \
  -DZLIB_LIBRARY=/usr/lib/x86_64-linux-gnu/libz.so.1 || exit 1
step build 150 cmake --build "$build" -j "$(nproc)" || exit 1
step ctest 120 ctest --test-dir "$build" --output-on-failure
step epochs 90 "$build/bin/bench_gpu_train" --epochs 5 --data "$root/data/mnist"
step breakdown 45 "$build/bin/bench_gpu_train" --breakdown --data "$root/data/mnist"
step compare 150 python3 "$root/bench/gpu/compare.py" "$build/bin/bench_gpu_train" "$root/data/mnist" \
  --rounds 2 --epochs 3
cat "$out/summary.txt"
