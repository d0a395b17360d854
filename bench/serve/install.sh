#!/usr/bin/env bash
# The bench's install step (never CI's): Debian's load generators wrk and hey if they are missing,
# and the peer's FastAPI/uvicorn[standard]/numpy from PyPI (uvloop and httptools: the fast setup a
# Python user deploys) in a venv inside the bench's build folder, made
# with /usr/bin/python3 (a pyenv python3 earlier on PATH may lack the venv module or numpy).
#   bench/serve/install.sh VENV_DIR
set -euo pipefail
venv=${1:?usage: install.sh VENV_DIR}

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v hey >/dev/null || missing+=(hey)
if ((${#missing[@]})); then
  sudo=; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get install -y "${missing[@]}"
fi

if ! "$venv/bin/python" -c 'import fastapi, uvicorn, uvloop, httptools, numpy' 2>/dev/null; then
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check fastapi "uvicorn[standard]" numpy
fi
"$venv/bin/python" -c 'import fastapi, uvicorn, uvloop, httptools, numpy' # fails loudly if the install did not take
