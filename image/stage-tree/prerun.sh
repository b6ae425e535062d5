#!/bin/bash -e
# pi-gen stage for the tree appliance, on top of stage2 (Raspberry Pi OS Lite, arm64).
if [ ! -d "${ROOTFS_DIR}" ]; then
  copy_previous
fi
