# Tries: sockets that need no file: socketpair, and an abstract-namespace Unix socket
#   ("\0name"), which is shared per network namespace, not per filesystem.
# Check layer: rejected ("__loader__").
# Sandbox layer: socket calls refused by seccomp; a new network namespace anyway -> failed.
import time
_socket = time.__loader__.load_module("_socket")
a, b = _socket.socketpair()
print("socketpair made")
s = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
s.connect("\0tree-abstract")
print("ESCAPED" + ":", "abstract socket reached")
