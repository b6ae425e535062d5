# Tries: send a UDP datagram to the canary port (no connection needed, the usual way to
#   leak data out of a jail that forgot the network).
# Check layer: rejected ("__loader__").
# Sandbox layer: socket() refused by seccomp; the network namespace is empty -> failed.
import time
_socket = time.__loader__.load_module("_socket")
s = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
s.sendto(b"leak", ("127.0.0.1", int("@@UDP_PORT@@")))
print("ESCAPED" + ":", "udp sent")
