#!/bin/bash -e
# Puts the appliance on the image: compose files, the seccomp profile, the saved images,
# the systemd units, the host helper, the operator's tree.toml, and the host settings.
# files/appliance/ is filled by image/assemble-stage.sh from the repository.

appliance="${ROOTFS_DIR}/opt/tree"
install -d -m 755 "${appliance}" "${appliance}/bin" "${appliance}/docker" "${appliance}/docker/seccomp" \
  "${appliance}/images" "${appliance}/docs"
install -m 644 files/appliance/compose.yml "${appliance}/compose.yml"
install -m 644 files/appliance/docker/compose.spi.yml files/appliance/docker/compose.pwm.yml "${appliance}/docker/"
install -m 644 files/appliance/docker/seccomp/app.json "${appliance}/docker/seccomp/app.json"
install -m 755 files/appliance/tree-host "${appliance}/bin/tree-host"
install -m 644 files/appliance/OPERATOR.md "${appliance}/docs/OPERATOR.md"
for image in files/appliance/images/*.tar; do
  [ -e "${image}" ] || continue
  install -m 644 "${image}" "${image}.sha256" "${image}.tag" "${appliance}/images/"
done

for unit in files/appliance/systemd/*.service; do
  install -m 644 "${unit}" "${ROOTFS_DIR}/etc/systemd/system/"
done
# docker.service's OnFailure= rebuilds Docker's storage (tree-docker-recover.service).
install -d -m 755 "${ROOTFS_DIR}/etc/systemd/system/docker.service.d"
install -m 644 files/appliance/systemd/tree-docker-recover.conf "${ROOTFS_DIR}/etc/systemd/system/docker.service.d/tree-docker-recover.conf"
install -d -m 700 "${ROOTFS_DIR}/etc/tree"
# 755: the app container reads status.json from it (read-only mount); the secrets in it are 0600 root.
install -d -m 755 "${ROOTFS_DIR}/var/lib/tree-host"
# The app's uploads and cookie secret, outside Docker's storage (tree-host config owns it to the app's user).
install -d -m 755 "${ROOTFS_DIR}/var/lib/tree"

# The operator's settings, on the boot partition a laptop can open. Kept if present, so
# rebuilding over an edited card does not lose them.
boot="${ROOTFS_DIR}/boot/firmware"
install -d "${boot}"
if [ ! -e "${boot}/tree.toml" ]; then
  install -m 644 files/tree.toml "${boot}/tree.toml"
fi

install -m 644 files/90-tree-hardening.conf "${ROOTFS_DIR}/etc/sysctl.d/90-tree-hardening.conf"
install -d -m 755 "${ROOTFS_DIR}/etc/modprobe.d" "${ROOTFS_DIR}/etc/systemd/journald.conf.d" \
  "${ROOTFS_DIR}/etc/systemd/system.conf.d" "${ROOTFS_DIR}/etc/avahi/services" \
  "${ROOTFS_DIR}/etc/NetworkManager/dnsmasq-shared.d"
install -m 644 files/tree-no-onboard-audio.conf "${ROOTFS_DIR}/etc/modprobe.d/tree-no-onboard-audio.conf"
install -m 644 files/tree-journald.conf "${ROOTFS_DIR}/etc/systemd/journald.conf.d/tree.conf"
install -m 644 files/tree-watchdog.conf "${ROOTFS_DIR}/etc/systemd/system.conf.d/tree-watchdog.conf"
install -m 644 files/tree-avahi.service "${ROOTFS_DIR}/etc/avahi/services/tree.service"
# mDNS only on the Pi's own interfaces: Docker's bridges (docker0, br-*) and veths have
# addresses no phone can reach, and announcing them makes tree.local resolve to one of those.
avahi_conf="${ROOTFS_DIR}/etc/avahi/avahi-daemon.conf"
if [ -f "${avahi_conf}" ]; then
  if grep -qE '^#?allow-interfaces=' "${avahi_conf}"; then
    sed -i -E 's/^#?allow-interfaces=.*/allow-interfaces=wlan0,eth0/' "${avahi_conf}"
  else
    sed -i 's/^\[server\]$/[server]\nallow-interfaces=wlan0,eth0/' "${avahi_conf}"
  fi
else
  echo "01-tree: ${avahi_conf} is missing (avahi-daemon is in 00-docker/00-packages)" >&2
  exit 1
fi

# hostname "tree" (pi-gen's TARGET_HOSTNAME says the same; set here so the stage alone holds it).
echo tree > "${ROOTFS_DIR}/etc/hostname"
if grep -q '^127\.0\.1\.1' "${ROOTFS_DIR}/etc/hosts" 2>/dev/null; then
  sed -i 's/^127\.0\.1\.1.*/127.0.1.1\ttree/' "${ROOTFS_DIR}/etc/hosts"
else
  printf '127.0.1.1\ttree\n' >> "${ROOTFS_DIR}/etc/hosts"
fi
