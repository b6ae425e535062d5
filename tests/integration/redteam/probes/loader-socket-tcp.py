# Tries: load _socket through time.__loader__ and connect to the canary TCP port.
# Check layer: rejected ("__loader__").
# Sandbox layer: no network namespace to speak of (loopback only, unshared) and socket()
#   refused by seccomp -> failed; the canary sees no connection.
import time
_socket = time.__loader__.load_module("_socket")
s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
s.connect(("127.0.0.1", int("@@TCP_PORT@@")))
print("ESCAPED" + ":", "tcp connected")
