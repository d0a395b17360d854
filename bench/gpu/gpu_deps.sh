#!/usr/bin/env bash
# Run on the Debian 12 machine before a GPU session: unpacks Debian's OpenBLAS (with cblas.h),
# libgfortran, Nettle (SHA-256) and the zlib headers into build/gpu-deps (~40 MB), the folder that
# bench/gpu/gpu_run.sh needs on a GPU machine that has the CUDA toolkit but none of these (the
# team notes' gpu-machine.md recipe, outside the repository). Static libraries, docs and the
# reference BLAS/LAPACK are dropped to stay well under the 64 MiB a device call carries.
#   bench/gpu/gpu_deps.sh [DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
deps=${1:-$root/build/gpu-deps}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
packages=(libopenblas0-pthread libopenblas-pthread-dev libopenblas-dev libgfortran5 zlib1g-dev
          libnettle8 nettle-dev)
if ! (cd "$tmp" && apt-get download "${packages[@]}" >/dev/null 2>"$tmp/err"); then
  cat "$tmp/err" >&2
  echo "gpu_deps.sh: apt-get download failed; run 'apt-get update' (or scripts/setup) first" >&2
  exit 1
fi
rm -rf "$deps"
mkdir -p "$deps"
for f in "$tmp"/*.deb; do dpkg -x "$f" "$deps"; done
find "$deps" -name '*.a' -delete
rm -rf "$deps/usr/share" "$deps"/usr/lib/x86_64-linux-gnu/openblas-pthread/lib{blas,lapack}.so*
echo "gpu_deps.sh: $(du -sh "$deps" | cut -f1) in $deps; carry it: run(..., carry=[\"${deps#"$root"/}\"])"
