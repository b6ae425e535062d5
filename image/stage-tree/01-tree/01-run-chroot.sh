#!/bin/bash -e
# Enables the units inside the image (systemctl works offline in a chroot).
systemctl enable docker.service avahi-daemon.service NetworkManager.service
systemctl enable tree-config.service tree-firstboot.service tree.service tree-watch.service
# /tmp in RAM: nothing the appliance writes there needs to survive a power cut.
systemctl unmask tmp.mount 2>/dev/null || true
if [ -e /usr/share/systemd/tmp.mount ] && [ ! -e /etc/systemd/system/tmp.mount ]; then
  cp /usr/share/systemd/tmp.mount /etc/systemd/system/tmp.mount
fi
systemctl enable tmp.mount 2>/dev/null || true
