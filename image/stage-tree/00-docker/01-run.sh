#!/bin/bash -e
# Docker's engine settings on the Pi: container logs go to journald, which keeps them in
# RAM (see 01-tree), so a chatty container never wears out the SD card.
install -d -m 755 "${ROOTFS_DIR}/etc/docker"
install -m 644 files/daemon.json "${ROOTFS_DIR}/etc/docker/daemon.json"
