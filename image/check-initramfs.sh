#!/usr/bin/env bash
# Checks that the image's initramfs holds Raspberry Pi OS's first-boot script, the one that
# grows the root partition to the card on first boot (raspberrypi-sys-mods puts it in
# scripts/local-premount/firstboot of the initramfs). pi-gen releases that built the
# initramfs with `update-initramfs -u` could ship one without it; then the root partition
# stays at the image's size and Docker's storage fills up.
#
# Usage: image/check-initramfs.sh IMAGE.img[.xz] | ROOT_FILESYSTEM_DIR
#   an image: reads initramfs* from its first (FAT boot) partition, without mounting it
#   a directory: reads boot/firmware/initramfs* and boot/initrd.img-* under it
# Environment: TREE_INITRAMFS_REQUIRED  paths that must be in every initramfs found
#              (default: scripts/local-premount/firstboot)
# Needs: lsinitramfs (initramfs-tools-core), and for an image sfdisk and mtools.
set -euo pipefail

required=${TREE_INITRAMFS_REQUIRED:-scripts/local-premount/firstboot}

if [ $# -ne 1 ]; then
  echo "usage: $0 IMAGE.img[.xz] | ROOT_FILESYSTEM_DIR" >&2
  exit 2
fi
source=$1
command -v lsinitramfs >/dev/null || { echo "check-initramfs: lsinitramfs is missing (apt-get install initramfs-tools-core)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
found=()

if [ -d "${source}" ]; then
  for file in "${source}"/boot/firmware/initramfs* "${source}"/boot/initrd.img-*; do
    [ -f "${file}" ] && found+=("${file}")
  done
else
  image=${source}
  if [[ "${source}" == *.xz ]]; then
    image="${work}/image.img"
    xz -dc "${source}" > "${image}"
  fi
  for tool in sfdisk mcopy mdir; do
    command -v "${tool}" >/dev/null || { echo "check-initramfs: ${tool} is missing (apt-get install fdisk mtools)" >&2; exit 2; }
  done
  # The first partition's start sector, from sfdisk's dump ("IMAGE1 : start= 8192, ...").
  start=$(sfdisk --dump "${image}" | sed -n -E 's/^[^ ]*1 : start= *([0-9]+),.*/\1/p')
  if [ -z "${start}" ]; then
    echo "check-initramfs: ${source} has no partition table with a first partition" >&2
    exit 1
  fi
  boot="${image}@@$((start * 512))"
  mkdir -p "${work}/boot"
  while read -r name; do
    case "${name}" in
      initramfs*) mcopy -n -i "${boot}" "::/${name}" "${work}/boot/${name}" && found+=("${work}/boot/${name}") ;;
    esac
  done < <(mdir -i "${boot}" -b ::/ | sed 's|^::/||')
fi

if [ ${#found[@]} -eq 0 ]; then
  echo "check-initramfs: FAIL: no initramfs in ${source} (the release's export-image should build one with update-initramfs -k all -c)" >&2
  exit 1
fi

failed=0
for file in "${found[@]}"; do
  listing=$(lsinitramfs "${file}" | sed -E 's|^\./||; s|^/||')
  for path in ${required}; do
    if ! grep -qxF "${path}" <<<"${listing}"; then
      echo "check-initramfs: FAIL: $(basename "${file}") lacks ${path}: the root partition would not grow on first boot" >&2
      failed=1
    fi
  done
done
if [ "${failed}" -ne 0 ]; then
  exit 1
fi
echo "check-initramfs: ${#found[@]} initramfs file(s) hold ${required}"
