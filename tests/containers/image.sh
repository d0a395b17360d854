#!/bin/bash
# Builds the small Debian image the container tests run scripts in (default labbench-test:1), with
# no registry: mmdebstrap makes a root file system, `podman import` turns it into an image. It
# holds python3 (with venv, for --pip on an image), a marker file, /etc/labbench-test-image,
# that proves a script ran inside it, and this machine's CA bundle, so that pip in the image
# trusts what the host trusts (a proxy's own CA). Does nothing when the image is already there (< 1 s), so
# the ctest fixture that runs it costs nothing after the first time.
set -euo pipefail
image=${1:-labbench-test:1}

for tool in podman mmdebstrap; do
  if ! command -v "$tool" >/dev/null; then
    echo "image.sh: $tool is missing; scripts/setup installs it (apt-get install podman mmdebstrap runc)" >&2
    exit 1
  fi
done
if podman image exists "$image"; then
  echo "image.sh: $image is there"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
# The mirror is named, so mmdebstrap never reads sources from a stdin that ctest left open.
nice mmdebstrap --quiet --variant=minbase --include=python3-minimal,python3-venv \
  --customize-hook='echo labbench-test-image > "$1/etc/labbench-test-image"' \
  --customize-hook='if [ -f /etc/ssl/certs/ca-certificates.crt ]; then mkdir -p "$1/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$1/etc/ssl/certs/"; fi' \
  bookworm "$tmp/rootfs.tar" http://deb.debian.org/debian < /dev/null
podman import --quiet "$tmp/rootfs.tar" "$image" >/dev/null
echo "image.sh: built $image in $(( $(date +%s) - start )) s"
