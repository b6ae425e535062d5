#!/usr/bin/env bash
# Builds the flashable SD-card image of the tree: Raspberry Pi OS Lite (64-bit, bookworm)
# from a pinned pi-gen release, plus stage-tree (Docker, the preloaded images, the units,
# host settings, tree.toml on the boot partition).
#
# Needs a Linux machine with internet, Docker, git, and arm64 emulation for Docker
# (binfmt_misc + qemu-user-static), lsinitramfs, sfdisk and mtools (the initramfs check),
# and about 20 GB of disk. Output: deploy/*.img.xz in
# the pi-gen checkout (its path is printed at the end).
#
# Environment:
#   PI_GEN_REF     pi-gen tag to build from (default below: a release of the arm64 branch)
#   PI_GEN_REPO    where to clone pi-gen from
#   TREE_IMAGE_WORK  work directory (default: .cache/image in the repository)
set -euo pipefail

# A release tag of pi-gen's arm64 branch, so the image is reproducible; the branch itself
# is rebased from time to time, and its newest tags are trixie: pin a bookworm tag by name.
# 2026-06-18-raspios-bookworm-arm64 (commit d7a31c6a) is the newest bookworm arm64 release;
# its export-image builds the initramfs with `update-initramfs -k all -c` (releases before
# early 2024 ran `-u`, after which root partitions failed to grow on first boot).
# image/README.md says how to move the pin.
PI_GEN_REF=${PI_GEN_REF:-2026-06-18-raspios-bookworm-arm64}
PI_GEN_REPO=${PI_GEN_REPO:-https://github.com/RPi-Distro/pi-gen.git}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "${here}/.." && pwd)
work=${TREE_IMAGE_WORK:-${repo}/.cache/image}
mkdir -p "${work}"

step() { printf '\n== %s\n' "$*"; }

step "arm64 binaries (npm run build)"
if [ ! -f "${repo}/dist/tree-app-linux-arm64" ] || [ ! -f "${repo}/dist/tree-gpio-linux-arm64" ]; then
  (cd "${repo}" && npm run build -- --target arm64)
fi

step "arm64 container images"
# TREE_BINARIES=dist: the images take the binaries just built above rather than
# compiling them again under emulation.
build_image() {
  local dockerfile=$1 tag=$2
  if docker buildx version >/dev/null 2>&1; then
    docker buildx build --platform linux/arm64 --load --build-arg TREE_BINARIES=dist --file "${repo}/${dockerfile}" --tag "${tag}" "${repo}"
  else
    docker build --platform linux/arm64 --build-arg TREE_BINARIES=dist --file "${repo}/${dockerfile}" --tag "${tag}" "${repo}"
  fi
}
build_image Dockerfile.app tree-app:latest
build_image Dockerfile.gpio tree-gpio:latest
mkdir -p "${work}/images"
docker save --output "${work}/images/tree-app.tar" tree-app:latest
docker save --output "${work}/images/tree-gpio.tar" tree-gpio:latest

step "pi-gen ${PI_GEN_REF}"
pi_gen="${work}/pi-gen"
if [ ! -d "${pi_gen}/.git" ]; then
  git clone --depth 1 --branch "${PI_GEN_REF}" "${PI_GEN_REPO}" "${pi_gen}"
else
  git -C "${pi_gen}" fetch --depth 1 origin "refs/tags/${PI_GEN_REF}:refs/tags/${PI_GEN_REF}"
  git -C "${pi_gen}" checkout --force "${PI_GEN_REF}"
fi

step "stage-tree"
"${here}/assemble-stage.sh" "${pi_gen}/stage-tree" "${work}/images"
# Only the tree image is exported, not the plain Lite image of stage2.
touch "${pi_gen}/stage2/SKIP_IMAGES"

admin_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
cp "${here}/config" "${pi_gen}/config"
printf 'FIRST_USER_PASS=%s\n' "${admin_password}" >> "${pi_gen}/config"

step "building the image (this takes a while)"
(cd "${pi_gen}" && ./build-docker.sh)

step "checking the image's initramfs (first-boot resize)"
for built in "${pi_gen}"/deploy/*.img*; do
  case "${built}" in
    *.img|*.img.xz) "${here}/check-initramfs.sh" "${built}" ;;
  esac
done

step "done"
ls -l "${pi_gen}/deploy/"
echo "Password of the tree-admin account (console only; SSH is off): ${admin_password}"
