#!/bin/bash -e
# Boot settings the tree needs, on the boot partition (bookworm: /boot/firmware).
# Idempotent: running the stage again replaces the block instead of adding a second one.

boot="${ROOTFS_DIR}/boot/firmware"
config="${boot}/config.txt"
cmdline="${boot}/cmdline.txt"
begin="# >>> tree appliance"
end="# <<< tree appliance"

if [ ! -f "${config}" ] || [ ! -f "${cmdline}" ]; then
  echo "02-boot: ${config} or ${cmdline} is missing (stage1 makes them)" >&2
  exit 1
fi

# Drop an earlier tree block, then append the current one at the end, after every filter
# section of the base file ([all] first, so it applies to every model).
sed -i "/^${begin}\$/,/^${end}\$/d" "${config}"
cat >> "${config}" <<BLOCK
${begin}
[all]
# SPI for the spi driver (GPIO 10); the ws281x driver uses PWM, which the onboard audio
# also wants, so audio is off.
dtparam=spi=on
dtparam=audio=off
[pi3]
# A steady core clock keeps the SPI bit timing steady on a Pi 3.
core_freq=250
[pi02]
# The Zero 2 W (same chip family as the Pi 3) matches [pi02], not [pi3]: the same pin.
core_freq=250
[pi4]
core_freq=500
core_freq_min=500
[pi5]
# Bun is not known to run on the Pi 5's default 16 KB-page kernel: boot the 4 KB one.
kernel=kernel8.img
[all]
${end}
BLOCK

# cmdline.txt is one line. Memory cgroup for container and sandbox memory limits; a
# larger SPI buffer so one write() carries a whole frame of a long strip; AppArmor off,
# as Raspberry Pi OS's kernel has it by default, said here so a kernel that enables it
# (Debian's does) cannot stop Docker: the image leaves out apparmor_parser, and Docker
# refuses to start a container on an AppArmor host without it.
line=$(head -n 1 "${cmdline}")
for option in cgroup_enable=memory cgroup_memory=1 spidev.bufsiz=32768 apparmor=0; do
  case " ${line} " in
    *" ${option} "*) ;;
    *) line="${line} ${option}" ;;
  esac
done
printf '%s\n' "${line}" > "${cmdline}"
