#!/usr/bin/python3
"""tree-test-agent: the emulator test's hands inside the VM. TEST ONLY: installed by
tests/appliance/disk.ts into the test's disk, never by the pi-gen stage, so a real
tree has no such door.

It reads one JSON request per line from the virtio-serial port org.tree.agent (a
character device only QEMU's host side can reach, not the network) and answers one
JSON line per request:
    {"id": 7, "argv": ["systemctl", "is-active", "tree.service"], "timeout": 60, "input": ""}
 -> {"id": 7, "code": 0, "stdout": "active\n", "stderr": ""}
Requests run concurrently (a slow one does not hold up a poll); code -1 means the
command could not start or ran past its timeout.
"""
import json
import os
import subprocess
import threading
import time

PORT = "/dev/virtio-ports/org.tree.agent"
MAX_OUTPUT = 4 * 1024 * 1024


def run(request):
    try:
        done = subprocess.run(request["argv"], input=request.get("input", "").encode(), capture_output=True,
                              timeout=request.get("timeout", 120))
        code, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as error:
        code, out, err = -1, error.stdout or b"", (error.stderr or b"") + b"\ntree-test-agent: timed out"
    except (OSError, KeyError, TypeError) as error:
        code, out, err = -1, b"", f"tree-test-agent: {error}".encode()
    return {"id": request.get("id"), "code": code,
            "stdout": out[-MAX_OUTPUT:].decode("utf-8", "replace"), "stderr": err[-MAX_OUTPUT:].decode("utf-8", "replace")}


def main():
    while not os.path.exists(PORT):
        time.sleep(0.2)
    port = os.open(PORT, os.O_RDWR)
    lock = threading.Lock()

    def answer(request):
        line = (json.dumps(run(request)) + "\n").encode()
        with lock:
            view = memoryview(line)
            while view:
                written = os.write(port, view)
                view = view[written:]

    buffered = b""
    while True:
        try:
            chunk = os.read(port, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            # No host on the other end yet (or it went away): wait for one.
            time.sleep(0.2)
            continue
        buffered += chunk
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            try:
                request = json.loads(line)
            except ValueError:
                continue
            threading.Thread(target=answer, args=(request,), daemon=True).start()


if __name__ == "__main__":
    main()
