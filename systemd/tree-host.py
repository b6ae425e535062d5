#!/usr/bin/python3
"""tree-host: the Pi's side of the appliance, run by the systemd units before Docker's.

    tree-host config   read the operator's tree.toml from the boot partition; write
                       /etc/tree/compose.env (settings for compose), the Wi-Fi connection
                       (hotspot or venue) and tree-status.txt back on the boot partition
    tree-host secrets  create the operator password when tree.toml sets none, and put it in
                       tree-operator-password.txt on the boot partition for the operator
    tree-host images   docker load the shipped image tarballs that are not loaded yet

Python, not TypeScript: it runs on the host, before any container, and Raspberry Pi OS
ships python3 with tomllib (3.11); the app's binaries live only inside their images.
Every problem in tree.toml is reported as `key: message` in tree-status.txt, and the
last good settings (or the defaults) stay in force, so a typo never leaves a dark tree
without saying why.
"""
import argparse
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

# Where things live on the Pi; flags override them for tests.
BOOT_DIRS = [Path("/boot/firmware"), Path("/boot")]
ETC_DIR = Path("/etc/tree")
STATE_DIR = Path("/var/lib/tree-host")
NM_DIR = Path("/etc/NetworkManager")
IMAGES_DIR = Path("/opt/tree/images")

HOTSPOT_ADDRESS = "10.42.0.1"
HOTSPOT_CONNECTION = "tree-hotspot"
VENUE_CONNECTION = "tree-venue"
DRIVERS = ("spi", "ws281x", "simulator")
COLOR_ORDERS = ("RGB", "RBG", "GRB", "GBR", "BRG", "BGR", "RGBW", "GRBW")
MAX_LED_COUNT = 2048  # protocol/limits.ts maxLedCount

# Each setting: (section, key) -> (default, check). A check returns an error or None.
def _int_range(low, high):
    return lambda v: None if isinstance(v, int) and not isinstance(v, bool) and low <= v <= high else f"expected a whole number from {low} to {high}"

def _number_range(low, high):
    return lambda v: None if isinstance(v, (int, float)) and not isinstance(v, bool) and low <= v <= high else f"expected a number from {low} to {high}"

def _one_of(options):
    return lambda v: None if v in options else f"expected one of {', '.join(options)}"

def _text(min_len, max_len, pattern=None, hint=""):
    def check(v):
        if not isinstance(v, str):
            return "expected text in quotes"
        if not (min_len <= len(v) <= max_len):
            return f"expected {min_len} to {max_len} characters{hint}"
        if any(ord(c) < 32 or ord(c) == 127 for c in v):
            return "must not contain control characters or line breaks"
        if pattern and v and not re.fullmatch(pattern, v):
            return f"not valid{hint}"
        return None
    return check

SETTINGS = {
    ("leds", "count"): (100, _int_range(1, MAX_LED_COUNT)),
    ("leds", "driver"): ("spi", _one_of(DRIVERS)),
    ("leds", "gpio_pin"): (18, _int_range(0, 27)),
    ("leds", "color_order"): ("GRB", _one_of(COLOR_ORDERS)),
    ("leds", "psu_amps"): (4.0, _number_range(0.1, 1000)),
    ("leds", "brightness_cap_percent"): (100, _int_range(0, 100)),
    ("operator", "password"): ("", _text(0, 200, hint=" (8 or more; empty makes one on first boot)")),
    ("wifi", "mode"): ("hotspot", _one_of(("hotspot", "venue"))),
    ("wifi", "ssid"): ("tree", _text(1, 32)),
    ("wifi", "password"): ("merry-christmas", _text(8, 63, hint=" (WPA2 needs 8 to 63)")),
    ("web", "public_url"): ("", _text(0, 200, r"https?://[^\s\"'<>]+", " (e.g. http://tree.local/)")),
}


def find_boot_dir(explicit):
    if explicit:
        return Path(explicit)
    for candidate in BOOT_DIRS:
        if (candidate / "config.txt").exists():
            return candidate
    return BOOT_DIRS[0]


def read_settings(path):
    """Returns (settings, errors). Unknown keys are errors: a typo must not pass silently."""
    settings = {key: default for key, (default, _check) in SETTINGS.items()}
    errors = []
    try:
        # utf-8-sig: older Windows editors start the file with a byte-order mark.
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return settings, [f"{path.name}: not found; using the defaults"]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return None, [f"{path.name}: {error}"]
    known_sections = {section for section, _ in SETTINGS}
    for section, table in raw.items():
        if section not in known_sections or not isinstance(table, dict):
            errors.append(f"[{section}]: unknown section (known: {', '.join(sorted(known_sections))})")
            continue
        for key, value in table.items():
            entry = SETTINGS.get((section, key))
            if entry is None:
                known = ", ".join(k for s, k in SETTINGS if s == section)
                errors.append(f"{section}.{key}: unknown setting (known: {known})")
                continue
            problem = entry[1](value)
            if problem:
                errors.append(f"{section}.{key}: {problem}, got {json.dumps(value, default=str)}")
            else:
                settings[(section, key)] = value
    if settings[("wifi", "mode")] == "venue":
        given = raw.get("wifi", {}) if isinstance(raw.get("wifi"), dict) else {}
        for key in ("ssid", "password"):
            if key not in given:
                errors.append(f"wifi.{key}: venue mode needs the venue network's {'name' if key == 'ssid' else 'password'}")
    password = settings[("operator", "password")]
    if password and len(password) < 8:
        errors.append("operator.password: use 8 or more characters, or leave it empty to get one made")
    return (None if any(not e.endswith("using the defaults") for e in errors) else settings), errors


def env_line(name, value):
    text = str(value)
    return f'{name}="' + text.replace("\\", "\\\\").replace('"', '\\"') + '"\n'


def compose_env(settings, operator_password, spi_gid):
    driver = settings[("leds", "driver")]
    files = ["compose.yml"] + ([f"docker/compose.{ 'pwm' if driver == 'ws281x' else 'spi' }.yml"] if driver != "simulator" else [])
    hotspot = settings[("wifi", "mode")] == "hotspot"
    public_url = settings[("web", "public_url")] or (f"http://{HOTSPOT_ADDRESS}/" if hotspot else "")
    values = {
        "COMPOSE_PROJECT_NAME": "tree",
        "COMPOSE_FILE": ":".join(files),
        "TREE_HTTP_PORT": 80,
        "TREE_LED_COUNT": settings[("leds", "count")],
        "TREE_DRIVER": driver,
        "TREE_DATA_PIN": settings[("leds", "gpio_pin")],
        "TREE_COLOR_ORDER": settings[("leds", "color_order")],
        "TREE_PSU_AMPS": settings[("leds", "psu_amps")],
        "TREE_BRIGHTNESS_CAP_PERCENT": settings[("leds", "brightness_cap_percent")],
        "TREE_SPI_GID": spi_gid,
        "TREE_OPERATOR_PASSWORD": operator_password,
        "TREE_PUBLIC_URL": public_url,
        # Only a hotspot's join code belongs on the printed QR page.
        "TREE_WIFI_SSID": settings[("wifi", "ssid")] if hotspot else "",
        "TREE_WIFI_PASSWORD": settings[("wifi", "password")] if hotspot else "",
    }
    return "".join(env_line(name, value) for name, value in values.items())


def nm_keyfile_value(text):
    # NetworkManager keyfiles are GLib key files: escape backslashes and line breaks.
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def hotspot_connection(ssid, password):
    return f"""[connection]
id={HOTSPOT_CONNECTION}
type=wifi
interface-name=wlan0
autoconnect=true
autoconnect-priority=100

[wifi]
mode=ap
band=bg
ssid={nm_keyfile_value(ssid)}

[wifi-security]
key-mgmt=wpa-psk
proto=rsn
pairwise=ccmp
group=ccmp
# 1 = PMF off: the Pi's Wi-Fi chip cannot offer it as an access point, and some phones
# then refuse to join.
pmf=1
psk={nm_keyfile_value(password)}

[ipv4]
method=shared
address1={HOTSPOT_ADDRESS}/24

[ipv6]
method=disabled
"""


def venue_connection(ssid, password):
    return f"""[connection]
id={VENUE_CONNECTION}
type=wifi
interface-name=wlan0
autoconnect=true
autoconnect-priority=100

[wifi]
mode=infrastructure
ssid={nm_keyfile_value(ssid)}

[wifi-security]
key-mgmt=wpa-psk
psk={nm_keyfile_value(password)}

[ipv4]
method=auto

[ipv6]
method=auto
"""


# Every name resolves to the tree while phones are on its hotspot, so a phone's
# captive-portal probe reaches the app, which opens the editor (FACTS: probes).
CAPTIVE_DNS = f"address=/#/{HOTSPOT_ADDRESS}\n"


def write_private(path, text, mode=0o600):
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    if mode is not None:  # None on the FAT boot partition, which has no modes
        os.chmod(temporary, mode)
    os.replace(temporary, path)


def remove(path):
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def spi_group_id():
    try:
        import grp
        return grp.getgrnam("spi").gr_gid
    except (KeyError, ImportError):
        return 10000  # the daemon's own group: adds nothing


def stored_password(state_dir):
    path = state_dir / "operator-password"
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


def cmd_secrets(args):
    state_dir = Path(args.state_dir)
    boot_dir = find_boot_dir(args.boot_dir)
    settings, _errors = read_settings(boot_dir / "tree.toml")
    if settings and settings[("operator", "password")]:
        return 0
    if stored_password(state_dir):
        return 0
    # Four groups of five lowercase letters and digits: easy to type from a printed note.
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    password = "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))
    write_private(state_dir / "operator-password", password + "\n")
    note = ("Operator password of the tree (made on first boot because tree.toml sets none):\n"
            f"{password}\n\nOpen the editor's /operator page and sign in with it.\n")
    try:
        write_private(boot_dir / "tree-operator-password.txt", note, None)
    except OSError as error:
        print(f"tree-host: cannot write the password note on the boot partition: {error}", file=sys.stderr)
    print("tree-host: made an operator password (see tree-operator-password.txt on the boot partition)")
    return 0


def cmd_config(args):
    boot_dir = find_boot_dir(args.boot_dir)
    etc_dir, state_dir, nm_dir = Path(args.etc_dir), Path(args.state_dir), Path(args.nm_dir)
    source = boot_dir / "tree.toml"
    settings, errors = read_settings(source)
    env_path = etc_dir / "compose.env"
    status = ["tree-status.txt: written at every boot from tree.toml. Fix any problem listed here,",
              "save tree.toml, put the card back and power the tree on again.", ""]
    if settings is None:
        status.append("PROBLEMS in tree.toml:")
        status += [f"  - {e}" for e in errors]
        if env_path.exists():
            status.append("The tree keeps the settings of its last good boot.")
        else:
            status.append("The tree starts with the default settings.")
            settings, _ = read_settings(Path("/nonexistent/tree.toml"))
    else:
        status += [f"note: {e}" for e in errors]
    if settings is not None:
        password = settings[("operator", "password")] or stored_password(state_dir)
        write_private(env_path, compose_env(settings, password, spi_group_id()))
        hotspot = settings[("wifi", "mode")] == "hotspot"
        connections = nm_dir / "system-connections"
        ssid, wifi_password = settings[("wifi", "ssid")], settings[("wifi", "password")]
        if hotspot:
            write_private(connections / f"{HOTSPOT_CONNECTION}.nmconnection", hotspot_connection(ssid, wifi_password))
            write_private(nm_dir / "dnsmasq-shared.d" / "tree-captive.conf", CAPTIVE_DNS, 0o644)
            remove(connections / f"{VENUE_CONNECTION}.nmconnection")
        else:
            write_private(connections / f"{VENUE_CONNECTION}.nmconnection", venue_connection(ssid, wifi_password))
            remove(connections / f"{HOTSPOT_CONNECTION}.nmconnection")
            remove(nm_dir / "dnsmasq-shared.d" / "tree-captive.conf")
        status += ["", "In force:",
                   f"  LEDs: {settings[('leds', 'count')]} on the {settings[('leds', 'driver')]} driver, colour order "
                   f"{settings[('leds', 'color_order')]}, power supply {settings[('leds', 'psu_amps')]} A",
                   f"  Wi-Fi: {'hotspot' if hotspot else 'venue network'} \"{ssid}\"",
                   f"  Editor: {settings[('web', 'public_url')] or (f'http://{HOTSPOT_ADDRESS}/' if hotspot else 'http://tree.local/ (or the address the venue router gave the tree)')}",
                   "  Operator password: " + ("set in tree.toml" if settings[("operator", "password")] else "see tree-operator-password.txt")]
    try:
        write_private(boot_dir / "tree-status.txt", "\n".join(status) + "\n", None)
    except OSError as error:
        print(f"tree-host: cannot write tree-status.txt: {error}", file=sys.stderr)
    for line in status[3:]:
        print(line)
    return 0


def cmd_images(args):
    images_dir, state_dir = Path(args.images_dir), Path(args.state_dir)
    loaded_dir = state_dir / "images"
    loaded_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    for tarball in sorted(images_dir.glob("*.tar")):
        digest_file = tarball.with_name(tarball.name + ".sha256")
        digest = digest_file.read_text().split()[0] if digest_file.exists() else hashlib.sha256(tarball.read_bytes()).hexdigest()
        marker = loaded_dir / (tarball.name + ".loaded")
        tag_file = tarball.with_name(tarball.name + ".tag")
        tag = tag_file.read_text().strip() if tag_file.exists() else ""
        present = tag and subprocess.run(["docker", "image", "inspect", tag], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        if present and marker.exists() and marker.read_text().strip() == digest:
            continue
        print(f"tree-host: docker load -i {tarball}")
        if subprocess.run(["docker", "load", "-i", str(tarball)]).returncode != 0:
            failures += 1
            continue
        write_private(marker, digest + "\n", 0o644)
    return 1 if failures else 0


def main(argv):
    parser = argparse.ArgumentParser(prog="tree-host", description=__doc__.split("\n\n")[0])
    parser.add_argument("--boot-dir", help="boot partition (default: /boot/firmware)")
    parser.add_argument("--etc-dir", default=str(ETC_DIR))
    parser.add_argument("--state-dir", default=str(STATE_DIR))
    parser.add_argument("--nm-dir", default=str(NM_DIR))
    parser.add_argument("--images-dir", default=str(IMAGES_DIR))
    parser.add_argument("command", choices=["config", "secrets", "images"])
    args = parser.parse_args(argv)
    return {"config": cmd_config, "secrets": cmd_secrets, "images": cmd_images}[args.command](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
