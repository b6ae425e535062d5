#!/usr/bin/python3
"""tree-host: the Pi's side of the appliance, run by the systemd units around Docker's.

    tree-host config   read the operator's tree.toml from the boot partition; write
                       /etc/tree/compose.env (settings for compose, memory limits sized to
                       this board's RAM), the network connection (hotspot, venue or shared
                       Ethernet) and a first tree-status.txt ("starting") on the boot partition
    tree-host secrets  create the operator password when tree.toml sets none, and put it in
                       tree-operator-password.txt on the boot partition for the operator
    tree-host images   docker load the shipped image tarballs that are not loaded yet, and
                       record the result; --recover asks for Docker's storage to be rebuilt
                       when a load fails although the tarballs are intact
    tree-host watch    runs for as long as the tree is on: joins the venue network or falls
                       back to the hotspot, follows addresses, containers and the LED daemon,
                       and writes /var/lib/tree-host/status.json and tree-status.txt on every
                       change
    tree-host docker-recover
                       after docker.service failed (a power cut can corrupt its state on the
                       SD card): moves Docker's storage aside, starts Docker afresh and loads
                       the shipped images again; at most once per boot

Python, not TypeScript: it runs on the host, before any container, and Raspberry Pi OS
ships python3 with tomllib (3.11); the app's binaries live only inside their images.
Every problem in tree.toml is reported as `key: message` in tree-status.txt, and the
last good settings (or the defaults) stay in force, so a typo never leaves a dark tree
without saying why.
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

# Where things live on the Pi; flags override them for tests.
BOOT_DIRS = [Path("/boot/firmware"), Path("/boot")]
ETC_DIR = Path("/etc/tree")
STATE_DIR = Path("/var/lib/tree-host")
RUN_DIR = Path("/run/tree-host")
NM_DIR = Path("/etc/NetworkManager")
IMAGES_DIR = Path("/opt/tree/images")
# Uploads, submission records and the cookie secret: a host directory bind-mounted into the
# app container, outside /var/lib/docker, so rebuilding Docker's storage never loses them.
DATA_DIR = Path("/var/lib/tree/data")
DOCKER_STATE_DIRS = [Path("/var/lib/docker"), Path("/var/lib/containerd")]
MEMINFO = Path("/proc/meminfo")

HOTSPOT_ADDRESS = "10.42.0.1"
HOTSPOT_CONNECTION = "tree-hotspot"
VENUE_CONNECTION = "tree-venue"
ETHERNET_CONNECTION = "tree-ethernet"
WIFI_DEVICE = "wlan0"
ETHERNET_DEVICE = "eth0"
APP_CONTAINER = "tree-app"
GPIO_CONTAINER = "tree-gpio"
APP_UID, TREE_GID = 10001, 10000  # Dockerfile.app: user tree-app, group tree
DRIVERS = ("spi", "ws281x", "simulator")
COLOR_ORDERS = ("RGB", "RBG", "GRB", "GBR", "BRG", "BGR", "RGBW", "GRBW")
NETWORK_MODES = ("hotspot", "venue", "ethernet")
SECURITIES = ("auto", "open", "wpa2", "wpa3")
MAX_LED_COUNT = 2048  # protocol/limits.ts maxLedCount
STATUS_VERSION = 1  # appliance/src/host-status/schema.ts

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
    ("wifi", "mode"): ("hotspot", _one_of(NETWORK_MODES)),
    ("wifi", "ssid"): ("tree", _text(1, 32)),
    # Empty only for an open venue network; the checks below say which lengths each mode takes.
    ("wifi", "password"): ("merry-christmas", _text(0, 63)),
    ("wifi", "security"): ("auto", _one_of(SECURITIES)),
    ("wifi", "fallback_seconds"): (60, _int_range(10, 3600)),
    ("web", "public_url"): ("", _text(0, 200, r"https?://[^\s\"'<>]+", " (e.g. http://tree.local/)")),
    ("queue", "min_show_seconds"): (15, _int_range(0, 45)),
    ("queue", "idle_after_seconds"): (60, _int_range(0, 3600)),
}
DEFAULT_HOTSPOT_SSID = SETTINGS[("wifi", "ssid")][0]
DEFAULT_HOTSPOT_PASSWORD = SETTINGS[("wifi", "password")][0]


def find_boot_dir(explicit):
    if explicit:
        return Path(explicit)
    for candidate in BOOT_DIRS:
        if (candidate / "config.txt").exists():
            return candidate
    return BOOT_DIRS[0]


def wifi_password_problem(settings, given):
    """What is wrong with wifi.password for the chosen mode and security, or None."""
    mode, security = settings[("wifi", "mode")], settings[("wifi", "security")]
    password = settings[("wifi", "password")]
    if mode == "hotspot":
        return None if 8 <= len(password) <= 63 else "the hotspot's password needs 8 to 63 characters (WPA2)"
    if mode != "venue":
        return None
    if "password" not in given and security != "open":
        return 'venue mode needs the venue network\'s password ("" for an open network)'
    if security == "open":
        return None if password == "" else 'security "open" takes no password: leave it "" or set security = "auto"'
    if security == "wpa3":
        return None if password else 'security "wpa3" needs the network\'s password'
    if security == "wpa2" or password:
        return None if 8 <= len(password) <= 63 else "a WPA2 password has 8 to 63 characters"
    return None  # auto with "": an open network


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
    given = raw.get("wifi", {}) if isinstance(raw.get("wifi"), dict) else {}
    if settings[("wifi", "mode")] == "venue" and "ssid" not in given:
        errors.append("wifi.ssid: venue mode needs the venue network's name")
    if not any(e.startswith("wifi.password:") for e in errors):
        problem = wifi_password_problem(settings, given)
        if problem:
            errors.append(f"wifi.password: {problem}")
    password = settings[("operator", "password")]
    if password and len(password) < 8:
        errors.append("operator.password: use 8 or more characters, or leave it empty to get one made")
    return (None if any(not e.endswith("using the defaults") for e in errors) else settings), errors


def env_line(name, value):
    text = str(value)
    return f'{name}="' + text.replace("\\", "\\\\").replace('"', '\\"') + '"\n'


# Memory limits of the two containers, sized to the board: 768 + 256 MiB where there is room
# (2 GiB and more), a share of the RAM below that, never under what each needs to start
# (a Zero 2 W has 512 MiB, of which Linux sees about 420 after the GPU's share).
APP_MEMORY_SHARE, GPIO_MEMORY_SHARE = 0.45, 0.15
APP_MEMORY_MIB = (160, 768)   # (floor, ceiling)
GPIO_MEMORY_MIB = (96, 256)


def memory_total_mib(meminfo_path):
    try:
        for line in Path(meminfo_path).read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def memory_limits_mib(total_mib):
    """(app, gpio) limits in MiB for a board whose Linux sees total_mib (None: the ceilings)."""
    def limit(share, bounds):
        floor, ceiling = bounds
        if total_mib is None:
            return ceiling
        return max(floor, min(ceiling, int(total_mib * share) // 8 * 8))
    return limit(APP_MEMORY_SHARE, APP_MEMORY_MIB), limit(GPIO_MEMORY_SHARE, GPIO_MEMORY_MIB)


def configured_public_url(settings):
    """The editor's URL known before the network is up: web.public_url, or the hotspot's address."""
    if settings[("web", "public_url")]:
        return settings[("web", "public_url")]
    return f"http://{HOTSPOT_ADDRESS}/" if settings[("wifi", "mode")] in ("hotspot", "ethernet") else ""


def compose_env(settings, operator_password, spi_gid, memory_mib=(None, None), data_dir=DATA_DIR, status_dir=STATE_DIR):
    driver = settings[("leds", "driver")]
    files = ["compose.yml"] + ([f"docker/compose.{ 'pwm' if driver == 'ws281x' else 'spi' }.yml"] if driver != "simulator" else [])
    mode = settings[("wifi", "mode")]
    hotspot_ssid, hotspot_password = {
        "hotspot": (settings[("wifi", "ssid")], settings[("wifi", "password")]),
        "venue": (DEFAULT_HOTSPOT_SSID, DEFAULT_HOTSPOT_PASSWORD),
    }.get(mode, ("", ""))
    app_mib, gpio_mib = memory_mib if memory_mib[0] is not None else memory_limits_mib(None)
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
        "TREE_MIN_SHOW_SECONDS": settings[("queue", "min_show_seconds")],
        "TREE_IDLE_AFTER_SECONDS": settings[("queue", "idle_after_seconds")],
        "TREE_SPI_GID": spi_gid,
        "TREE_OPERATOR_PASSWORD": operator_password,
        "TREE_PUBLIC_URL": configured_public_url(settings),
        # The join code of the hotspot this tree may run: its own in hotspot mode, the fallback one in
        # venue mode (the app shows it on /qr only while the hotspot is what is up).
        "TREE_WIFI_SSID": hotspot_ssid,
        "TREE_WIFI_PASSWORD": hotspot_password,
        "TREE_MEMORY_LIMIT_APP": f"{app_mib}m",
        "TREE_MEMORY_LIMIT_GPIO": f"{gpio_mib}m",
        "TREE_DATA_DIR": str(data_dir),
        "TREE_HOST_STATUS_DIR": str(status_dir),
        # Where the app finds status.json inside its container (the mount below); unset off the Pi.
        "TREE_HOST_STATUS_FILE": "/run/tree-host/status.json",
    }
    return "".join(env_line(name, value) for name, value in values.items())


def nm_keyfile_value(text):
    # NetworkManager keyfiles are GLib key files: escape backslashes and line breaks.
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def hotspot_connection(ssid, password, autoconnect=True):
    # In venue mode the hotspot waits (autoconnect=false) until tree-host watch starts it.
    return f"""[connection]
id={HOTSPOT_CONNECTION}
type=wifi
interface-name={WIFI_DEVICE}
autoconnect={'true' if autoconnect else 'false'}
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


def venue_security_section(security, password):
    """The [wifi-security] part of the venue connection for a security word.

    open: no section at all — NetworkManager's plain open network (key-mgmt=none would also
          accept static WEP keys, which nothing here sets).
    wpa2: key-mgmt=wpa-psk.
    wpa3: key-mgmt=sae; SAE requires protected management frames (pmf=3, required).
    auto: key-mgmt=wpa-psk with pmf=2 (optional): NetworkManager documents wpa-psk as
          "WPA2 + WPA3 personal" and lets the supplicant use SAE where it and the network
          offer it; PMF must not be off for SAE. A network that offers only WPA3 is also
          handled by tree-host watch: it scans, and switches the connection to sae.
    """
    if security == "open" or (security == "auto" and password == ""):
        return ""
    key_mgmt, pmf = {"wpa2": ("wpa-psk", None), "wpa3": ("sae", 3), "auto": ("wpa-psk", 2)}[security]
    return ("[wifi-security]\n"
            f"key-mgmt={key_mgmt}\n"
            + (f"pmf={pmf}\n" if pmf else "")
            + f"psk={nm_keyfile_value(password)}\n\n")


def venue_connection(ssid, password, security="auto"):
    return f"""[connection]
id={VENUE_CONNECTION}
type=wifi
interface-name={WIFI_DEVICE}
autoconnect=true
autoconnect-priority=100
# Keep trying until tree-host watch gives up on the venue and starts the hotspot.
autoconnect-retries=0

[wifi]
mode=infrastructure
ssid={nm_keyfile_value(ssid)}

{venue_security_section(security, password)}[ipv4]
method=auto

[ipv6]
method=auto
"""


def ethernet_connection():
    # eth0 serves addresses and names like the hotspot does, for an external access point
    # plugged into it (in access-point/bridge mode, its own DHCP server off).
    return f"""[connection]
id={ETHERNET_CONNECTION}
type=ethernet
interface-name={ETHERNET_DEVICE}
autoconnect=true
autoconnect-priority=100

[ethernet]

[ipv4]
method=shared
address1={HOTSPOT_ADDRESS}/24

[ipv6]
method=disabled
"""


# Every name resolves to the tree on a network the tree serves (hotspot, or Ethernet in
# ethernet mode), so a phone's captive-portal probe reaches the app, which opens the editor
# (FACTS: probes). NetworkManager's dnsmasq reads it for shared connections only, so it stays
# in place in venue mode too, ready for the fallback hotspot.
CAPTIVE_DNS = f"address=/#/{HOTSPOT_ADDRESS}\n"


def fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # the FAT boot partition's driver may refuse: the file itself was synced
    finally:
        os.close(fd)


def write_private(path, text, mode=0o600):
    """Replaces path atomically: temp file, fsync, rename, fsync of the directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    if mode is not None:  # None on the FAT boot partition, which has no modes
        os.chmod(temporary, mode)
    os.replace(temporary, path)
    fsync_dir(path.parent)


def write_json(path, value, mode=0o644):
    write_private(path, json.dumps(value, indent=2, sort_keys=False) + "\n", mode)


def read_json(path, fallback=None):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return fallback


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


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def iso_utc(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


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


def settings_summary(settings):
    mode = settings[("wifi", "mode")]
    ssid = settings[("wifi", "ssid")]
    network = {
        "hotspot": f"the tree's own hotspot \"{ssid}\"",
        "venue": f"the venue network \"{ssid}\" (security: {settings[('wifi', 'security')]}; "
                 f"hotspot after {settings[('wifi', 'fallback_seconds')]} s without it)",
        "ethernet": "shared Ethernet for an external access point (Wi-Fi off)",
    }[mode]
    return [f"  LEDs: {settings[('leds', 'count')]} on the {settings[('leds', 'driver')]} driver, colour order "
            f"{settings[('leds', 'color_order')]}, power supply {settings[('leds', 'psu_amps')]} A",
            f"  Network: {network}",
            f"  Editor: {configured_public_url(settings) or 'the address the venue router gives the tree (see Network above once it is known)'}",
            "  Operator password: " + ("set in tree.toml" if settings[("operator", "password")] else "see tree-operator-password.txt")]


def write_network_connections(settings, nm_dir):
    """The connection files for the chosen mode; the others are removed."""
    connections = nm_dir / "system-connections"
    mode = settings[("wifi", "mode")]
    ssid, password = settings[("wifi", "ssid")], settings[("wifi", "password")]
    wanted = {}
    if mode == "hotspot":
        wanted[HOTSPOT_CONNECTION] = hotspot_connection(ssid, password)
    elif mode == "venue":
        wanted[VENUE_CONNECTION] = venue_connection(ssid, password, settings[("wifi", "security")])
        # The fallback: the default hotspot, started only by tree-host watch.
        wanted[HOTSPOT_CONNECTION] = hotspot_connection(DEFAULT_HOTSPOT_SSID, DEFAULT_HOTSPOT_PASSWORD, autoconnect=False)
    else:
        wanted[ETHERNET_CONNECTION] = ethernet_connection()
    for name in (HOTSPOT_CONNECTION, VENUE_CONNECTION, ETHERNET_CONNECTION):
        path = connections / f"{name}.nmconnection"
        if name in wanted:
            write_private(path, wanted[name])
        else:
            remove(path)
    write_private(nm_dir / "dnsmasq-shared.d" / "tree-captive.conf", CAPTIVE_DNS, 0o644)


def prepare_data_dir(data_dir):
    """The app's data directory on the host, owned by the app's user inside the container."""
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        os.chown(data_dir, APP_UID, TREE_GID)
        os.chmod(data_dir, 0o750)
    except PermissionError:
        pass  # not root (tests): the directory is only a placeholder there


STARTING_NOTE = ["State: STARTING. The tree has read tree.toml and is now starting its network and",
                 "software; it rewrites this file when they are up, and on every change after that.",
                 "If this still says STARTING long after power-on, the tree stopped before it could",
                 "finish: power it off and on again; if that does not help, reflash the card."]


def cmd_config(args):
    boot_dir = find_boot_dir(args.boot_dir)
    etc_dir, state_dir, nm_dir = Path(args.etc_dir), Path(args.state_dir), Path(args.nm_dir)
    source = boot_dir / "tree.toml"
    settings, errors = read_settings(source)
    env_path = etc_dir / "compose.env"
    # The app container reads status.json here (read-only mount); the secrets inside are 0600.
    state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(state_dir, 0o755)
    problems = []
    status = ["tree-status.txt: written by the tree from tree.toml and what it finds at each boot.",
              "Fix any problem listed here, save tree.toml, put the card back and power the tree on again.", ""]
    status += STARTING_NOTE + [""]
    if settings is None:
        problems = list(errors)
        status.append("PROBLEMS in tree.toml:")
        status += [f"  - {e}" for e in errors]
        previous = read_json(state_dir / "settings.json")
        if env_path.exists() and previous:
            status.append("The tree keeps the settings of its last good boot.")
        else:
            status.append("The tree starts with the default settings.")
            settings, _ = read_settings(Path("/nonexistent/tree.toml"))
    else:
        status += [f"note: {e}" for e in errors]
    if settings is not None:
        password = settings[("operator", "password")] or stored_password(state_dir)
        memory = memory_limits_mib(memory_total_mib(args.meminfo))
        # Absolute: compose takes a value without a slash for a named volume.
        data_dir = Path(args.data_dir).resolve()
        write_private(env_path, compose_env(settings, password, spi_group_id(), memory, data_dir, state_dir.resolve()))
        write_network_connections(settings, nm_dir)
        prepare_data_dir(data_dir)
        summary = settings_summary(settings) + [f"  Memory: {memory[0]} MiB for the editor, {memory[1]} MiB for the LED daemon"]
        # What tree-host watch needs: the network in force, and these lines for tree-status.txt.
        write_json(state_dir / "settings.json", {
            "mode": settings[("wifi", "mode")],
            "ssid": settings[("wifi", "ssid")],
            "security": settings[("wifi", "security")],
            "password": settings[("wifi", "password")] != "",
            "fallbackSeconds": settings[("wifi", "fallback_seconds")],
            "publicUrl": settings[("web", "public_url")],
            "driver": settings[("leds", "driver")],
            "summary": summary,
        }, 0o600)
        status += ["", "In force:"] + summary
    else:
        previous = read_json(state_dir / "settings.json", {})
        status += ["", "In force (last good boot):"] + previous.get("summary", [])
    write_json(state_dir / "config-problems.json", [f"tree.toml: {e}" for e in problems])
    try:
        write_private(boot_dir / "tree-status.txt", "\n".join(status) + "\n", None)
    except OSError as error:
        print(f"tree-host: cannot write tree-status.txt: {error}", file=sys.stderr)
    for line in status[3 + len(STARTING_NOTE) + 1:]:
        print(line)
    return 0


# ---------------------------------------------------------------------------------------
# Running other programs (nmcli, docker, systemctl): found on PATH, so tests put stand-ins
# there; the emulator test runs the real ones.

def run(command, timeout=60, input_text=None):
    """(exit code, stdout, stderr); 127 when the program is missing, 124 on a timeout."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, input=input_text)
        return done.returncode, done.stdout, done.stderr
    except FileNotFoundError:
        return 127, "", f"{command[0]}: not installed"
    except subprocess.TimeoutExpired:
        return 124, "", f"{' '.join(command[:3])}: no answer within {timeout} s"


def last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


# ---------------------------------------------------------------------------------------
# Images and Docker's storage

def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_images(state_dir, result, detail):
    write_json(state_dir / "images.json", {"result": result, "detail": detail, "at": iso_utc(utc_now())})


def load_images(images_dir, state_dir):
    """Loads the tarballs not loaded yet. Returns (failures, damaged tarball names)."""
    loaded_dir = state_dir / "images"
    loaded_dir.mkdir(parents=True, exist_ok=True)
    failures, damaged = [], []
    for tarball in sorted(images_dir.glob("*.tar")):
        digest_file = tarball.with_name(tarball.name + ".sha256")
        expected = digest_file.read_text().split()[0] if digest_file.exists() else None
        marker = loaded_dir / (tarball.name + ".loaded")
        tag_file = tarball.with_name(tarball.name + ".tag")
        tag = tag_file.read_text().strip() if tag_file.exists() else ""
        present = bool(tag) and run(["docker", "image", "inspect", tag])[0] == 0
        if present and marker.exists() and marker.read_text().strip() == (expected or marker.read_text().strip()):
            continue
        print(f"tree-host: docker load -i {tarball}")
        record_images(state_dir, "pending", f"Loading {tarball.name} (on the first boot this takes a few minutes).")
        code, _out, err = run(["docker", "load", "-i", str(tarball)], timeout=20 * 60)
        if code == 0 and tag and run(["docker", "image", "inspect", tag])[0] != 0:
            code, err = 1, f"{tag} is not there after loading"
        if code != 0:
            # Damaged on the card, or refused by Docker? Only the second is Docker's fault.
            if expected and file_sha256(tarball) != expected:
                damaged.append(tarball.name)
            failures.append(f"{tarball.name}: {last_line(err) or 'docker load failed'}")
            continue
        write_private(marker, (expected or file_sha256(tarball)) + "\n", 0o644)
    return failures, damaged


def cmd_images(args):
    images_dir, state_dir = Path(args.images_dir), Path(args.state_dir)
    failures, damaged = load_images(images_dir, state_dir)
    if not failures:
        record_images(state_dir, "loaded", None)
        return 0
    if damaged:
        record_images(state_dir, "failed", f"The image file(s) {', '.join(damaged)} on the SD card are damaged: "
                      "write the tree image to the card again.")
        return 1
    record_images(state_dir, "failed", "Docker could not load the shipped images (" + "; ".join(failures) + ").")
    if args.recover:
        # Not from here: this runs inside tree.service, which stops with Docker. The
        # recovery unit stops Docker, rebuilds its storage and starts tree.service again.
        print("tree-host: asking tree-docker-recover.service to rebuild Docker's storage")
        run(["systemctl", "start", "--no-block", "tree-docker-recover.service"])
    return 1


def docker_answers():
    return run(["docker", "info", "--format", "{{.ServerVersion}}"], timeout=30)[0] == 0


def recovery_decision(docker_ok, images_ok, tried_this_boot):
    """What docker-recover does: "nothing" (Docker and the images are fine), "recover"
    (move the storage aside and start again), or "give-up" (it was tried this boot already:
    the fault is not the storage, so doing it again would only loop)."""
    if docker_ok and images_ok:
        return "nothing"
    return "give-up" if tried_this_boot else "recover"


def images_present(images_dir):
    for tag_file in sorted(Path(images_dir).glob("*.tar.tag")):
        if run(["docker", "image", "inspect", tag_file.read_text().strip()])[0] != 0:
            return False
    return True


def move_aside(path):
    """path -> path.broken (replacing an older one: one copy is enough to look at later)."""
    if not path.exists():
        return None
    broken = path.with_name(path.name + ".broken")
    if broken.exists():
        shutil.rmtree(broken, ignore_errors=True)
    os.replace(path, broken)
    return broken


def cmd_docker_recover(args):
    state_dir, run_dir, images_dir = Path(args.state_dir), Path(args.run_dir), Path(args.images_dir)
    marker = run_dir / "docker-recovered"
    docker_ok = docker_answers()
    decision = recovery_decision(docker_ok, docker_ok and images_present(images_dir), marker.exists())
    print(f"tree-host: docker-recover: {decision}")
    if decision == "nothing":
        return 0
    if decision == "give-up":
        write_json(state_dir / "docker-recovery.json", {"at": iso_utc(utc_now()), "result": "gave-up",
                   "detail": "Docker still fails after its storage was rebuilt this boot."})
        return 1
    run_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(iso_utc(utc_now()) + "\n")
    run(["systemctl", "stop", "tree.service", "docker.socket", "docker.service", "containerd.service"], timeout=120)
    moved = [str(p) for p in (move_aside(Path(d)) for d in args.docker_dir) if p]
    shutil.rmtree(state_dir / "images", ignore_errors=True)
    run(["systemctl", "reset-failed", "docker.service", "containerd.service", "docker.socket"])
    code, _out, err = run(["systemctl", "start", "docker.service"], timeout=300)
    if code != 0 or not docker_answers():
        write_json(state_dir / "docker-recovery.json", {"at": iso_utc(utc_now()), "result": "failed", "moved": moved,
                   "detail": f"Docker does not start even with fresh storage: {last_line(err) or 'no answer'}."})
        return 1
    failures, _damaged = load_images(images_dir, state_dir)
    record_images(state_dir, "failed" if failures else "loaded", "; ".join(failures) or None)
    write_json(state_dir / "docker-recovery.json", {"at": iso_utc(utc_now()), "result": "recovered" if not failures else "failed",
               "moved": moved, "detail": None if not failures else "; ".join(failures)})
    run(["systemctl", "reset-failed", "tree.service"])
    run(["systemctl", "start", "--no-block", "tree.service"])
    return 0 if not failures else 1


# ---------------------------------------------------------------------------------------
# What NetworkManager says

# Device states (NMDeviceState) and the state-change reasons (NMDeviceStateReason) that tell
# an operator what to fix.
NM_UNAVAILABLE, NM_DISCONNECTED, NM_NEED_AUTH, NM_ACTIVATED, NM_FAILED = 20, 30, 60, 100, 120
WRONG_PASSWORD_REASONS = {7, 8, 9, 10}   # no secrets, supplicant disconnect/config/failed
TIMEOUT_REASONS = {11}                   # supplicant timeout
NO_ADDRESS_REASONS = {5, 15, 16, 17}     # IP config unavailable, DHCP start/error/failed
NOT_FOUND_REASONS = {53}                 # SSID not found
NO_CARRIER_REASONS = {40}                # carrier changed


def leading_number(text):
    match = re.match(r"\s*(\d+)", text or "")
    return int(match.group(1)) if match else None


def nm_device(device):
    """{state, reason, connection, addresses} of one device, or None when nmcli does not answer."""
    # Whole field groups, not single fields: an nmcli without one of them would refuse the call.
    code, out, _err = run(["nmcli", "-t", "-f", "GENERAL,IP4", "device", "show", device], timeout=20)
    if code != 0:
        return None
    info = {"state": None, "reason": None, "connection": None, "addresses": []}
    for line in out.splitlines():
        key, _, value = line.partition(":")
        value = value.replace("\\:", ":")
        if key == "GENERAL.STATE":
            info["state"] = leading_number(value)
        elif key == "GENERAL.REASON":
            info["reason"] = leading_number(value)
        elif key == "GENERAL.CONNECTION":
            info["connection"] = value or None
        elif key.startswith("IP4.ADDRESS") and value:
            info["addresses"].append(value.split("/")[0])
    return info


def split_terse(line):
    """nmcli -t fields: separated by ':', a literal ':' written as '\\:'."""
    fields, current, escaped = [], "", False
    for char in line:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\":
            escaped = True
        elif char == ":":
            fields.append(current)
            current = ""
        else:
            current += char
    return fields + [current]


def nm_scan():
    """{ssid: security words} of the networks wlan0 sees, or None when nmcli does not answer."""
    code, out, _err = run(["nmcli", "-t", "-f", "SSID,SECURITY", "device", "wifi", "list", "ifname", WIFI_DEVICE], timeout=40)
    if code != 0:
        return None
    seen = {}
    for line in out.splitlines():
        fields = split_terse(line)
        if len(fields) >= 2 and fields[0]:
            words = set(fields[1].split()) - {"--"}
            seen.setdefault(fields[0], set()).update(words)
    return seen


def key_mgmt_for_scan(words):
    """The key-mgmt that joins a network offering these SECURITY words: sae for WPA3 only."""
    if "WPA3" in words and not ({"WPA2", "WPA1"} & words):
        return "sae"
    return None


# What NetworkManager and wpa_supplicant log when the key was refused. The device's own
# state says it only for a moment (need-auth, then a retry), which a look every few
# seconds can miss: found missing on the emulated Pi, where a wrong WPA2 password was
# reported as "no answer from the network".
WRONG_KEY_LOG_MARKERS = ("asking for new key", "-> need-auth", "reason 'no-secrets'", "pre-shared key may be incorrect")


def logs_say_key_refused():
    """Whether this boot's NetworkManager or wpa_supplicant log shows the Wi-Fi key refused."""
    code, out, _ = run(["journalctl", "--boot", "--unit=NetworkManager.service", "--unit=wpa_supplicant.service",
                        "--lines=2000", "--output=cat", "--no-pager"], timeout=30)
    return code == 0 and any(marker in out for marker in WRONG_KEY_LOG_MARKERS)


def failure_sentence(ssid, seconds, reason, saw_need_auth, scan, has_password):
    """Why the venue join failed, as the contract's sentence."""
    if scan is not None and ssid not in scan:
        why = "network not found (check wifi.ssid; names are case-sensitive, and a Pi 3 Model B or Zero 2 W sees only 2.4 GHz networks)"
    elif reason in NOT_FOUND_REASONS:
        why = "network not found (check wifi.ssid)"
    elif saw_need_auth or reason in WRONG_PASSWORD_REASONS:
        why = "wrong password" if has_password else "the network wants a password (set wifi.password)"
    elif reason in TIMEOUT_REASONS:
        why = "the network did not answer the login (too far away, or it refused the tree)"
    elif reason in NO_ADDRESS_REASONS:
        why = "joined, but the venue's router gave no address (DHCP)"
    elif reason in NO_CARRIER_REASONS or reason == NM_UNAVAILABLE:
        why = "no carrier: the Wi-Fi device is unavailable"
    else:
        why = "no answer from the network" + (f" (NetworkManager reason {reason})" if reason else "")
    return f'Could not join "{ssid}" within {seconds:g} s: {why}.'


class NetworkWatch:
    """Follows the venue join and falls back to the hotspot after fallback_seconds.

    The decisions are made from what nmcli reports; the clock is passed in, so tests can
    use real time with a short fallback."""

    def __init__(self, settings, fallback_seconds, now, record_path=None):
        self.settings = settings
        self.fallback_seconds = fallback_seconds
        self.started = now
        # Kept per boot (in /run), so a restarted watcher keeps the hotspot and its reason.
        self.record_path = record_path
        earlier = read_json(record_path) if record_path else None
        self.fell_back = isinstance(earlier, dict) and settings["mode"] == "venue"
        self.fallback_reason = earlier.get("reason") if self.fell_back else None
        self.last_reason = None
        self.saw_need_auth = False
        self.checked_security = False
        self.last_security_check = None
        self.hotspot_problem = None
        self.last_hotspot_try = None

    def observe(self, now):
        """One look at the network: returns {active, ssid, addresses, problem}."""
        mode = self.settings["mode"]
        wifi = nm_device(WIFI_DEVICE)
        eth = nm_device(ETHERNET_DEVICE)
        if wifi is None and eth is None:
            return {"active": None, "ssid": None, "addresses": [], "problem": "NetworkManager does not answer (nmcli failed)."}
        addresses = [a for info in (wifi, eth) if info and info["state"] == NM_ACTIVATED for a in info["addresses"]]
        problem = None
        if mode == "venue" and not self.fell_back:
            self.venue_step(wifi, now)
        if self.fell_back and not (wifi and wifi["connection"] == HOTSPOT_CONNECTION and wifi["state"] == NM_ACTIVATED):
            problem = self.start_hotspot(now)
        active, ssid = self.active_network(wifi, eth)
        if mode == "ethernet" and active != "ethernet":
            if eth is None or eth["state"] in (None, NM_UNAVAILABLE) or eth["reason"] in NO_CARRIER_REASONS:
                problem = "No carrier on the Ethernet port: plug the access point into the Pi's Ethernet socket and switch it on."
            else:
                problem = "The Ethernet port is not sharing its network yet (tree-ethernet is not active)."
        if mode == "hotspot" and active != "hotspot":
            problem = "The hotspot is not up yet" + (" (the Wi-Fi device is unavailable)." if wifi and wifi["state"] == NM_UNAVAILABLE else ".")
        return {"active": active, "ssid": ssid, "addresses": addresses, "problem": problem}

    def active_network(self, wifi, eth):
        if wifi and wifi["state"] == NM_ACTIVATED:
            if wifi["connection"] == HOTSPOT_CONNECTION:
                return "hotspot", (DEFAULT_HOTSPOT_SSID if self.settings["mode"] == "venue" else self.settings["ssid"])
            if wifi["connection"] == VENUE_CONNECTION:
                return "venue", self.settings["ssid"]
        if eth and eth["state"] == NM_ACTIVATED and eth["connection"] == ETHERNET_CONNECTION:
            return "ethernet", None
        return None, None

    def venue_step(self, wifi, now):
        if wifi is None:
            return
        if wifi["state"] == NM_ACTIVATED and wifi["connection"] == VENUE_CONNECTION:
            self.started = None  # joined: no fallback while it holds
            return
        if self.started is None:
            self.started = now  # lost the venue: its own fallback_seconds from now
        if wifi["state"] == NM_NEED_AUTH:
            self.saw_need_auth = True
        if wifi["reason"] not in (None, 0, 1) and wifi["state"] != NM_ACTIVATED:
            self.last_reason = wifi["reason"]
        # Until a scan has seen the network (right after boot the list may still be empty).
        due = self.last_security_check is None or now - self.last_security_check >= 10
        if not self.checked_security and due and self.settings["security"] == "auto" and self.settings["password"]:
            self.last_security_check = now
            self.checked_security = self.adapt_security(nm_scan())
        if now - self.started >= self.fallback_seconds:
            key_refused = self.saw_need_auth or logs_say_key_refused()
            self.fallback_reason = failure_sentence(self.settings["ssid"], self.fallback_seconds, self.last_reason,
                                                    key_refused, nm_scan(), self.settings["password"])
            self.fell_back = True
            if self.record_path:
                write_json(self.record_path, {"reason": self.fallback_reason})
            print(f"tree-host: {self.fallback_reason} Starting the hotspot.", flush=True)

    def adapt_security(self, scan):
        """auto: a network that offers WPA3 only is joined with key-mgmt=sae. True once the
        network was seen (nothing more to decide)."""
        if not scan or self.settings["ssid"] not in scan:
            return False
        if key_mgmt_for_scan(scan[self.settings["ssid"]]) == "sae":
            print(f"tree-host: \"{self.settings['ssid']}\" offers WPA3 only: joining with SAE", flush=True)
            run(["nmcli", "connection", "modify", VENUE_CONNECTION, "wifi-sec.key-mgmt", "sae", "wifi-sec.pmf", "3"])
            run(["nmcli", "connection", "up", VENUE_CONNECTION], timeout=90)
        return True

    def start_hotspot(self, now):
        if self.last_hotspot_try is not None and now - self.last_hotspot_try < 30:
            return self.hotspot_problem
        self.last_hotspot_try = now
        run(["nmcli", "connection", "down", VENUE_CONNECTION], timeout=30)
        code, _out, err = run(["nmcli", "--wait", "60", "connection", "up", HOTSPOT_CONNECTION], timeout=90)
        self.hotspot_problem = None if code == 0 else f"The fallback hotspot does not start: {last_line(err) or 'nmcli failed'}."
        return self.hotspot_problem


# ---------------------------------------------------------------------------------------
# What Docker says about the containers and the LED daemon

def container_states():
    """{name: {"word", "started", "running"}} for the two containers Docker knows."""
    fmt = "{{.Name}}|{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}|{{.State.StartedAt}}"
    code, out, err = run(["docker", "inspect", "--format", fmt, APP_CONTAINER, GPIO_CONTAINER], timeout=30)
    if code in (124, 127) or (code != 0 and not out.strip() and "Cannot connect" in err):
        return None
    states = {}
    for line in out.splitlines():
        parts = line.strip().split("|")
        if len(parts) == 4:
            name, status, health, started = parts
            states[name.lstrip("/")] = {"word": health or status, "started": started, "running": status == "running"}
    return states


ERROR_WORDS = re.compile(r"cannot start|internal error|failed|error|not found|denied|no such", re.IGNORECASE)


# tree.service restarts compose every few seconds when it fails; after this many tries in a
# row the failure is reported, with the error compose printed (the journal is in RAM).
STACK_FAILURES_REPORTED = 3


def stack_unit_problem():
    """A sentence when tree.service (compose up) keeps failing, with compose's last error; else None."""
    code, out, _ = run(["systemctl", "show", "tree.service", "--property=ActiveState,NRestarts"], timeout=30)
    if code != 0:
        return None
    props = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    restarts = leading_number(props.get("NRestarts", "0")) or 0
    if props.get("ActiveState") == "active" or restarts < STACK_FAILURES_REPORTED:
        return None
    _, journal, _ = run(["journalctl", "--unit=tree.service", "--lines=40", "--output=cat", "--no-pager"], timeout=30)
    errors = [line.strip() for line in journal.splitlines()
              if ERROR_WORDS.search(line) and not re.search(r"Failed to start|Encountered errors", line)]
    # compose prints the cause as "ERROR: for <service> ..."; its other lines only repeat it.
    said = ([line for line in errors if line.startswith("ERROR:")] or errors or [""])[-1][:300]
    said = f" Docker said: {said}" if said else ""
    return (f"The containers could not be started ({restarts} tries so far; the tree keeps trying).{said} "
            "If this stays after a power cycle, reflash the card with the current image.")


def led_last_error(log_text):
    """(last error line, whether it came after the daemon last started listening)."""
    last_error, error_after_start = None, False
    for line in log_text.splitlines():
        line = line.strip()
        if not line:
            continue
        if "listening on" in line:
            error_after_start = False
        elif ERROR_WORDS.search(line) and "--help" not in line:
            last_error = line[:300]
            error_after_start = True
    return last_error, error_after_start


class LedWatch:
    """The LED daemon's driver (asked over its socket through the container's own health
    probe) and its last error (from its log). Asked again only when the container
    restarts, or every refresh_seconds: docker exec and docker logs cost a Pi Zero time."""

    def __init__(self, configured_driver, refresh_seconds=60):
        self.configured_driver = configured_driver
        self.refresh_seconds = refresh_seconds
        self.seen_start = None
        self.asked_at = None
        self.driver = None
        self.last_error = None
        self.fault = False

    def observe(self, gpio, now):
        started = gpio["started"] + gpio["word"] if gpio else None
        if started == self.seen_start and self.asked_at is not None and now - self.asked_at < self.refresh_seconds:
            return
        self.seen_start, self.asked_at = started, now
        if gpio is None:
            self.driver, self.fault = None, False
            return
        info = ask_daemon("info")
        self.driver = info.get("driver") if isinstance(info.get("driver"), str) else None
        code, out, err = run(["docker", "logs", "--tail", "200", GPIO_CONTAINER], timeout=30)
        error, after_start = led_last_error(out + "\n" + err) if code == 0 else (None, False)
        if error:
            self.last_error = error
        # A fault: the daemon does not answer and logged an error since it last started, or
        # it answers and says its driver failed on the latest frame (snapshot's driverError).
        self.fault = self.driver is None and after_start and self.last_error is not None
        if self.driver is not None:
            driver_error = ask_daemon("snapshot").get("driverError")
            if isinstance(driver_error, str) and driver_error:
                self.last_error, self.fault = driver_error[:300], True


def ask_daemon(command):
    """One request to the LED daemon over its socket, through the container's own health probe
    (the socket lives on a volume only the containers mount). {} when it does not answer."""
    code, out, _err = run(["docker", "exec", GPIO_CONTAINER, "/usr/local/bin/tree-probe", "socket",
                           "/run/tree/gpio.sock", json.dumps({"type": command})], timeout=30)
    if code != 0:
        return {}
    try:
        reply = json.loads(last_line(out))
    except ValueError:
        return {}
    return reply if isinstance(reply, dict) else {}


# ---------------------------------------------------------------------------------------
# The status file and tree-status.txt

def public_url_for(settings, active, addresses):
    if settings.get("publicUrl"):
        return settings["publicUrl"]
    if active in ("hotspot", "ethernet"):
        return f"http://{HOTSPOT_ADDRESS}/"
    if active == "venue" and addresses:
        return f"http://{addresses[0]}/"
    return "http://tree.local/"


def phase_for(settings, network, fell_back, containers, images, led_fault):
    """The contract's phase rules, in order."""
    if fell_back:
        return "hotspot-fallback"
    if settings["mode"] == "venue" and network["active"] != "venue":
        return "waiting-for-network"
    # "starting": the container runs but has not passed its first health check (the editor
    # may not answer yet), so the tree is not ready to be announced.
    if network["active"] is None or images["result"] == "pending" or {containers["app"], containers["gpio"]} & {None, "starting"}:
        return "booting"
    if led_fault:
        return "led-fault"
    return "ready"


def build_status(settings, network, fell_back, fallback_reason, images, containers, led, led_fault, extra_problems, now):
    active, addresses = network["active"], network["addresses"]
    problems = list(extra_problems)
    if network.get("problem"):
        problems.append(network["problem"])
    if fallback_reason:
        problems.append(fallback_reason + " The tree runs its own hotspot \"" + DEFAULT_HOTSPOT_SSID + "\" (password \"" +
                        DEFAULT_HOTSPOT_PASSWORD + "\") instead: fix wifi.ssid/wifi.password in tree.toml and power the tree on again.")
    if images["result"] == "failed":
        problems.append(images["detail"] or "The container images did not load.")
    for key, name in (("app", "The editor (tree-app)"), ("gpio", "The LED daemon (tree-gpio)")):
        word = containers[key]
        if word in ("unhealthy", "exited", "dead", "restarting"):
            problems.append(f"{name} is {word}: it restarts itself; if this stays, see the LED/driver lines here and the guide's troubleshooting table.")
    if led_fault and led["lastError"]:
        problems.append(f"The LED driver reports: {led['lastError']} (check leds.driver and the wiring).")
    return {
        "version": STATUS_VERSION,
        "updatedAt": iso_utc(now),
        "phase": phase_for(settings, network, fell_back, containers, images, led_fault),
        "network": {
            "mode": settings["mode"],
            "active": active,
            "ssid": network["ssid"],
            "addresses": addresses,
            "publicUrl": public_url_for(settings, active, addresses),
            "fellBack": fell_back,
            "fallbackReason": fallback_reason,
        },
        "images": {"result": images["result"], "detail": images["detail"]},
        "containers": containers,
        "led": led,
        "problems": problems,
    }


PHASE_SENTENCES = {
    "booting": "STARTING: the network or the software is not up yet.",
    "waiting-for-network": "JOINING the venue network.",
    "hotspot-fallback": "RUNNING ON ITS OWN HOTSPOT: it could not join the venue network (see why below).",
    "ready": "READY: phones can open the editor.",
    "led-fault": "LED FAULT: the editor works, but the LED daemon reports a driver problem (see below).",
}


def status_text(status, settings):
    net = status["network"]
    mode_text = {"hotspot": "the tree's own hotspot", "venue": "join the venue network", "ethernet": "shared Ethernet (external access point)"}[net["mode"]]
    active_text = {"hotspot": "the tree's hotspot", "venue": "the venue network", "ethernet": "shared Ethernet", None: "nothing yet"}[net["active"]]
    when = status["updatedAt"].replace("T", " ").replace("Z", " UTC")
    lines = [
        "tree-status.txt: what the tree knows about itself. It rewrites this file whenever something",
        "changes. Fix any problem listed here, save tree.toml, put the card back and power the tree on again.",
        "",
        f"Written: {when} (the Pi's clock may be wrong if it had no network)",
        f"State: {PHASE_SENTENCES[status['phase']]}",
        "",
        "Network",
        f"  Mode in tree.toml: {mode_text}" + (f" \"{settings['ssid']}\" (security: {settings['security']})" if net["mode"] == "venue" else ""),
        f"  In use now: {active_text}" + (f" \"{net['ssid']}\"" if net["ssid"] else ""),
        f"  Fell back to the hotspot: {'yes. ' + net['fallbackReason'] if net['fellBack'] else 'no'}",
        f"  Address(es): {', '.join(net['addresses']) or 'none yet'}",
        f"  Editor address (on the QR code): {net['publicUrl']}",
        "",
        "Software",
        f"  Container images: {status['images']['result']}" + (f" ({status['images']['detail']})" if status["images"]["detail"] else ""),
        f"  Editor container (tree-app): {status['containers']['app'] or 'not running yet'}",
        f"  LED daemon container (tree-gpio): {status['containers']['gpio'] or 'not running yet'}",
        f"  LED driver: {status['led']['driver'] or 'not known yet'}; last error: {status['led']['lastError'] or 'none'}",
        "",
        "Problems:" if status["problems"] else "Problems: none",
    ]
    lines += [f"  - {problem}" for problem in status["problems"]]
    lines += ["", "In force (from tree.toml):"] + settings.get("summary", [])
    return "\n".join(lines) + "\n"


def images_state(state_dir):
    record = read_json(state_dir / "images.json")
    if not isinstance(record, dict) or record.get("result") not in ("loaded", "failed", "pending"):
        return {"result": "pending", "detail": None}
    return {"result": record["result"], "detail": record.get("detail")}


def recovery_problem(state_dir):
    record = read_json(state_dir / "docker-recovery.json")
    if not isinstance(record, dict):
        return None
    when = str(record.get("at", "")).replace("T", " ").replace("Z", " UTC")
    if record.get("result") == "recovered":
        return (f"Docker's storage was damaged (most likely by a power cut) and was rebuilt at {when}; the images were "
                "loaded again. Uploads are kept (they live outside Docker's storage).")
    return f"Docker's storage was damaged and rebuilding it failed at {when}: {record.get('detail')} Reflash the card if this stays."


def cmd_watch(args):
    state_dir, boot_dir = Path(args.state_dir), find_boot_dir(args.boot_dir)
    settings = read_json(state_dir / "settings.json")
    if not isinstance(settings, dict):
        print("tree-host watch: no settings.json (tree-host config has not run); using the defaults", file=sys.stderr)
        defaults, _ = read_settings(Path("/nonexistent/tree.toml"))
        settings = {"mode": "hotspot", "ssid": defaults[("wifi", "ssid")], "security": "auto", "password": True,
                    "fallbackSeconds": 60, "publicUrl": "", "driver": defaults[("leds", "driver")], "summary": []}
    fallback_seconds = args.fallback_seconds if args.fallback_seconds is not None else settings["fallbackSeconds"]
    network_watch = NetworkWatch(settings, fallback_seconds, time.monotonic(), Path(args.run_dir) / "fallback.json")
    led_watch = LedWatch(settings.get("driver"), args.led_refresh_seconds)
    written = None
    states, states_at, stack_problem = None, None, None
    while True:
        now = time.monotonic()
        network = network_watch.observe(now)
        # The docker CLI costs a Pi Zero about a tenth of a second of CPU: ask less often.
        if states_at is None or now - states_at >= args.docker_seconds:
            states, states_at, stack_problem = container_states(), now, stack_unit_problem()
        containers = {"app": None, "gpio": None}
        extra = list(read_json(state_dir / "config-problems.json", []) or [])
        if stack_problem:
            extra.append(stack_problem)
        if states is None:
            extra.append("Docker is not running. If a power cut damaged its storage, the tree rebuilds it by itself "
                         "within a few minutes; if this stays, power the tree off and on again.")
        else:
            containers = {"app": (states.get(APP_CONTAINER) or {}).get("word"), "gpio": (states.get(GPIO_CONTAINER) or {}).get("word")}
            led_watch.observe(states.get(GPIO_CONTAINER), now)
        recovery = recovery_problem(state_dir)
        if recovery:
            extra.append(recovery)
        led = {"driver": led_watch.driver, "lastError": led_watch.last_error}
        status = build_status(settings, network, network_watch.fell_back, network_watch.fallback_reason,
                              images_state(state_dir), containers, led, led_watch.fault, extra, utc_now())
        comparable = {k: v for k, v in status.items() if k != "updatedAt"}
        if comparable != written:
            # The text first: whoever sees a new status.json finds tree-status.txt saying the same.
            try:
                write_private(boot_dir / "tree-status.txt", status_text(status, settings), None)
            except OSError as error:
                print(f"tree-host: cannot write tree-status.txt: {error}", file=sys.stderr)
            write_json(state_dir / "status.json", status)
            print(f"tree-host: {status['phase']}, {network['active'] or 'no network'}, {status['network']['publicUrl']}"
                  + (f"; problems: {' | '.join(status['problems'])}" if status["problems"] else ""), flush=True)
            written = comparable
        if args.once:
            return 0
        time.sleep(args.poll_seconds)


def main(argv):
    parser = argparse.ArgumentParser(prog="tree-host", description=__doc__.split("\n\n")[0])
    parser.add_argument("--boot-dir", help="boot partition (default: /boot/firmware)")
    parser.add_argument("--etc-dir", default=str(ETC_DIR))
    parser.add_argument("--state-dir", default=str(STATE_DIR))
    parser.add_argument("--run-dir", default=str(RUN_DIR), help="per-boot state (tmpfs)")
    parser.add_argument("--nm-dir", default=str(NM_DIR))
    parser.add_argument("--images-dir", default=str(IMAGES_DIR))
    parser.add_argument("--data-dir", default=str(DATA_DIR), help="the app's uploads and secrets on the host")
    parser.add_argument("--meminfo", default=str(MEMINFO), help="where the board's RAM size is read")
    parser.add_argument("--docker-dir", action="append", help="Docker's state directories to move aside (repeatable)")
    parser.add_argument("--recover", action="store_true", help="images: ask for Docker's storage to be rebuilt if a load fails")
    parser.add_argument("--poll-seconds", type=float, default=3.0, help="watch: seconds between looks at the network")
    parser.add_argument("--docker-seconds", type=float, default=10.0, help="watch: seconds between looks at the containers")
    parser.add_argument("--fallback-seconds", type=float, help="watch: overrides wifi.fallback_seconds (tests)")
    parser.add_argument("--led-refresh-seconds", type=float, default=60.0, help="watch: ask the LED daemon at least this often")
    parser.add_argument("--once", action="store_true", help="watch: one look, then exit")
    parser.add_argument("command", choices=["config", "secrets", "images", "watch", "docker-recover"])
    args = parser.parse_args(argv)
    args.docker_dir = args.docker_dir or [str(p) for p in DOCKER_STATE_DIRS]
    commands = {"config": cmd_config, "secrets": cmd_secrets, "images": cmd_images, "watch": cmd_watch,
                "docker-recover": cmd_docker_recover}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
