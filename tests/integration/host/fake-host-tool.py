#!/usr/bin/python3
"""Stand-in for nmcli, docker, systemctl and journalctl in the tree-host tests (the real ones need a Pi;
the emulator test runs them). It answers from a JSON "world" file the test writes
(TREE_FAKE_WORLD), appends every call to <world>.calls (one JSON argv per line), and
changes the world the way the real program would for the few calls that change things
(connection up, docker load, systemctl start docker.service).

World keys: devices {name: {state, reason, connection, addresses}}, scan [[ssid, security]],
up {connection: device-state-after-up}, upFails {connection: message}, dockerOk, dockerStarts,
containers {name: {status, health, started}}, images [tags], loadFails, daemon {info, snapshot}
(null: the daemon does not answer), gpioLogs, treeService {ActiveState, NRestarts} (systemctl show
tree.service), treeServiceJournal (journalctl -u tree.service), networkJournal (journalctl -u
NetworkManager.service -u wpa_supplicant.service).
"""
import json
import os
import sys

world_path = os.environ["TREE_FAKE_WORLD"]


def load():
    with open(world_path, encoding="utf-8") as handle:
        return json.load(handle)


def save(world):
    temporary = world_path + ".fake-new"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(world, handle)
    os.replace(temporary, world_path)


def fail(message, code=1):
    print(message, file=sys.stderr)
    sys.exit(code)


def nmcli(world, args):
    while args and args[0] in ("-t", "-f", "--wait", "-w"):
        args = args[2:] if args[0] in ("-f", "--wait", "-w") else args[1:]
    if args[:2] == ["device", "show"]:
        device = world.get("devices", {}).get(args[2])
        if device is None:
            fail(f"Error: Device '{args[2]}' not found.", 10)
        print(f"GENERAL.STATE:{device['state']} (state)")
        print(f"GENERAL.REASON:{device.get('reason', 0)} (reason)")
        print(f"GENERAL.CONNECTION:{device.get('connection') or ''}")
        for index, address in enumerate(device.get("addresses", []), 1):
            print(f"IP4.ADDRESS[{index}]:{address}/24")
        return
    if args[:3] == ["device", "wifi", "list"]:
        for ssid, security in world.get("scan", []):
            print(ssid.replace("\\", "\\\\").replace(":", "\\:") + ":" + security)
        return
    if args[:2] == ["connection", "up"]:
        name = args[2]
        if name in world.get("upFails", {}):
            fail(world["upFails"][name], 4)
        after = world.get("up", {}).get(name)
        if after:
            world.setdefault("devices", {})[after["device"]] = after["state"]
            save(world)
        return
    if args[:1] == ["connection"]:
        return  # down, modify, reload: recorded only
    fail(f"fake nmcli: unexpected {args}", 2)


def docker(world, args):
    if args[0] == "info":
        if not world.get("dockerOk", True):
            fail("Cannot connect to the Docker daemon at unix:///var/run/docker.sock.")
        print("20.10.24")
        return
    if not world.get("dockerOk", True) and args[0] != "load":
        fail("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?")
    if args[0] == "inspect":
        names = [a for a in args[1:] if not a.startswith("--") and "{{" not in a]
        missing = False
        for name in names:
            container = world.get("containers", {}).get(name)
            if container is None:
                missing = True
                continue
            print(f"/{name}|{container['status']}|{container.get('health', '')}|{container.get('started', '2026-12-03T14:00:00Z')}")
        if missing:
            fail("Error: No such object")
        return
    if args[:2] == ["image", "inspect"]:
        if args[2] not in world.get("images", []):
            fail(f"Error: No such image: {args[2]}")
        print("[{}]")
        return
    if args[0] == "load":
        if world.get("loadFails"):
            fail("Error processing tar file(exit status 1): unexpected EOF")
        tarball = args[args.index("-i") + 1]
        with open(tarball + ".tag", encoding="utf-8") as handle:
            world.setdefault("images", []).append(handle.read().strip())
        save(world)
        print("Loaded image")
        return
    if args[0] == "exec":
        request = json.loads(args[-1])
        daemon = world.get("daemon")
        reply = daemon.get(request["type"]) if daemon else None
        if reply is None:
            fail("tree-probe: cannot connect to /run/tree/gpio.sock: No such file or directory")
        print(json.dumps(reply))
        return
    if args[0] == "logs":
        sys.stderr.write(world.get("gpioLogs", ""))
        return
    fail(f"fake docker: unexpected {args}", 2)


def systemctl(world, args):
    if args[:2] == ["show", "tree.service"]:
        unit = world.get("treeService", {"ActiveState": "active", "NRestarts": 0})
        print(f"ActiveState={unit['ActiveState']}\nNRestarts={unit['NRestarts']}")
        return
    if args[:2] == ["start", "docker.service"]:
        world["dockerOk"] = world.get("dockerStarts", True)
        save(world)
        if not world["dockerOk"]:
            fail("Job for docker.service failed because the control process exited with error code.")


def journalctl(world, args):
    if "--unit=tree.service" in args:
        sys.stdout.write(world.get("treeServiceJournal", ""))
        return
    if "--unit=NetworkManager.service" in args:
        sys.stdout.write(world.get("networkJournal", ""))
        return
    fail(f"fake journalctl: unexpected {args}", 2)


def main():
    tool, args = os.path.basename(sys.argv[1]), sys.argv[2:]
    with open(world_path + ".calls", "a", encoding="utf-8") as handle:
        handle.write(json.dumps([tool] + args) + "\n")
    {"nmcli": nmcli, "docker": docker, "systemctl": systemctl, "journalctl": journalctl}[tool](load(), args)


main()
