#!/usr/bin/env bash
# Assembles the pi-gen stage "stage-tree" in OUT_DIR: image/stage-tree plus the
# repository's compose file, docker/ files, systemd units, host helper and operator's
# guide, and (optionally) the docker-save tarballs of both images.
# Usage: image/assemble-stage.sh OUT_DIR [IMAGES_DIR]
#   IMAGES_DIR holds tree-app.tar and tree-gpio.tar (image/build.sh makes them).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 OUT_DIR [IMAGES_DIR]" >&2
  exit 2
fi
out=$1
images=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "${here}/.." && pwd)

rm -rf "${out}"
mkdir -p "${out}"
cp -a "${here}/stage-tree/." "${out}/"
appliance="${out}/01-tree/files/appliance"
mkdir -p "${appliance}/docker/seccomp" "${appliance}/systemd" "${appliance}/images"
cp "${repo}/compose.yml" "${appliance}/compose.yml"
cp "${repo}/docker/compose.spi.yml" "${repo}/docker/compose.pwm.yml" "${appliance}/docker/"
cp "${repo}/docker/seccomp/app.json" "${appliance}/docker/seccomp/app.json"
cp "${repo}/systemd/"*.service "${repo}/systemd/"*.conf "${appliance}/systemd/"
cp "${repo}/systemd/tree-host.py" "${appliance}/tree-host"
cp "${repo}/docs/OPERATOR.md" "${appliance}/OPERATOR.md"

if [ -n "${images}" ]; then
  for name in tree-app tree-gpio; do
    tarball="${images}/${name}.tar"
    if [ ! -f "${tarball}" ]; then
      echo "assemble-stage: ${tarball} is missing" >&2
      exit 1
    fi
    cp "${tarball}" "${appliance}/images/${name}.tar"
    sha256sum "${tarball}" | cut -d ' ' -f 1 > "${appliance}/images/${name}.tar.sha256"
    echo "${name}:latest" > "${appliance}/images/${name}.tar.tag"
  done
fi
# pi-gen runs only executable scripts.
chmod 755 "${out}/prerun.sh" "${out}"/*/*.sh
echo "assembled ${out}"
