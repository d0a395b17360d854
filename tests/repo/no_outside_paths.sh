#!/usr/bin/env bash
# A fresh clone must pass on its own (#16): no tracked file under tests/, bench/, cmake/, scripts/
# or the top CMakeLists.txt may name the folder that sits beside the checkout on the developers'
# machines. Lists every offending line and fails; passes quietly otherwise.
#   no_outside_paths.sh SOURCE_DIR
set -euo pipefail
cd "$1"
needle="../sha""red"   # split, so this script does not name it itself
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- tests bench cmake scripts CMakeLists.txt)
else
  mapfile -t files < <(find tests bench cmake scripts CMakeLists.txt -type f)
fi
[[ ${#files[@]} -gt 50 ]] || { echo "FAIL: only ${#files[@]} files found to check in $PWD"; exit 1; }
if hits=$(grep -nF -- "$needle" "${files[@]}"); then
  echo "FAIL: these lines read outside the checkout; use the repository's data/ (or LABBENCH_TEST_MNIST_DIR):"
  echo "$hits"
  exit 1
fi
echo "checked ${#files[@]} files: none names $needle"
