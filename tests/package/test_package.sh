#!/usr/bin/env bash
# The .deb installs Labbench like any desktop application: build it with CPack, check its
# metadata, unpack it into a scratch root (dpkg -x) and run the installed programs from there:
# --version, workspace init, a real submit of a small script and of labbench-train for one epoch.
#   test_package.sh BUILD_DIR SCRATCH_DIR MNIST_DIR
set -euo pipefail
build="$1"; scratch="$2"; mnist="$3"
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$scratch"; mkdir -p "$scratch"
(cd "$build" && cpack -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log"; fail "cpack failed"; }
deb="$(ls "$scratch"/out/*.deb)"
echo "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

info="$(dpkg-deb -I "$deb")"
grep -q "Depends:.*libqt6widgets6" <<<"$info" || fail "Depends lacks the Qt runtime: $info"
grep -q "Depends:.*libsqlite3-0" <<<"$info" || fail "Depends lacks SQLite"
! grep -qi "cuda\|cudnn\|nccl" <<<"$(grep Depends <<<"$info")" || fail "CUDA must not be a dependency"
# labbench-train loads MPI (through its plugin) only for jobs of several ranks: not a Depends.
! grep -qi "openmpi\|mpich" <<<"$(grep Depends <<<"$info")" || fail "MPI must not be a dependency"

contents="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/labbench ./usr/bin/labbench-train ./usr/bin/labbench-supervisor \
            ./usr/share/applications/io.github.labbench.Labbench.desktop \
            ./usr/share/metainfo/io.github.labbench.Labbench.metainfo.xml \
            ./usr/share/icons/hicolor/scalable/apps/labbench.svg \
            ./usr/share/man/man1/labbench.1 ./usr/share/man/man1/labbench-train.1 \
            ./usr/share/bash-completion/completions/labbench \
            ./usr/share/labbench/python/labbench/__init__.py \
            ./usr/share/labbench/python/azureml/core/run.py \
            ./usr/share/labbench/remote/labbench-remote.sh \
            ./usr/share/labbench/remote/labbench-sysmon \
            ./usr/share/labbench/datasets/mnist/train-images-idx3-ubyte.gz \
            ./usr/share/labbench/datasets/mnist/README.md; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done

if [[ -f "$build/lib/labbench/liblabbench-train-mpi.so" ]]; then
  grep -q " ./usr/lib/labbench/liblabbench-train-mpi.so\$" <<<"$contents" || fail "the package lacks the MPI plugin"
fi

root="$scratch/root"
dpkg -x "$deb" "$root"
appstreamcli validate --no-net "$root/usr/share/metainfo/io.github.labbench.Labbench.metainfo.xml" >/dev/null \
  || fail "metainfo does not validate"
desktop-file-validate "$root/usr/share/applications/io.github.labbench.Labbench.desktop" || fail "desktop entry invalid"

lb="$root/usr/bin/labbench"
version="$("$lb" --version)"
[[ "$version" == "labbench "* ]] || fail "--version printed '$version'"
echo "installed: $version"

ws="$scratch/ws"
"$lb" workspace init "$ws" --name packaged >/dev/null
"$lb" --workspace "$ws" workspace show --json | python3 -c 'import json,sys; assert json.load(sys.stdin)["name"] == "packaged"'

src="$scratch/src"; mkdir -p "$src"
cat > "$src/train.py" <<'PY'
import argparse, labbench
p = argparse.ArgumentParser(); p.add_argument("--steps", type=int, default=3)
a = p.parse_args()
for i in range(a.steps):
    labbench.log("loss", 1.0 / (i + 1))
print("packaged run done")
PY
out="$("$lb" --workspace "$ws" submit --experiment pkg --source "$src" --entry train.py --wait -- --steps 4)"
run_id="$(head -1 <<<"$out")"
grep -q "packaged run done" <<<"$out" || fail "the script's output did not stream: $out"
points="$("$lb" --workspace "$ws" metrics "$run_id" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
[[ "$points" == 4 ]] || fail "expected 4 metric points, got $points"

# No --data: the installed labbench-train trains on the MNIST the package ships (#16).
out="$("$lb" --workspace "$ws" submit --experiment pkg --framework builtin-mnist --wait -- --epochs 1 --hidden 32)"
grep -q "share/labbench/datasets/mnist" <<<"$out" || fail "the run did not use the shipped MNIST: $out"
run_id="$(head -1 <<<"$out")"
status="$("$lb" --workspace "$ws" runs show "$run_id" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
[[ "$status" == Completed ]] || fail "labbench-train run ended $status: $out"
"$lb" --workspace "$ws" metrics "$run_id" --json | python3 -c '
import json, sys
acc = [p["value"] for p in json.load(sys.stdin) if p["name"] == "Accuracy"]
assert acc and acc[-1] > 0.85, acc'
# The installed labbench-train finds its installed MPI plugin: two ranks train as one job.
if command -v mpirun >/dev/null && [[ -f "$root/usr/lib/labbench/liblabbench-train-mpi.so" ]]; then
  # Under ASan, LeakSanitizer must not count Open MPI's own allocations (tests/train/lsan-mpi.supp).
  out="$(cd "$scratch" && LSAN_OPTIONS="${LABBENCH_MPI_LSAN_OPTIONS:-${LSAN_OPTIONS:-}}" \
           mpirun --allow-run-as-root --oversubscribe -np 2 "$root/usr/bin/labbench-train" \
           --epochs 1 --data "$mnist" --hidden 32 --threads 1 --backend cpu -o "$scratch/mpi-out" 2>&1)" \
    || fail "labbench-train under mpirun failed: $out"
  grep -q "identical on all 2 ranks" <<<"$out" || fail "the two ranks did not train as one job: $out"
fi
echo "package test passed"
