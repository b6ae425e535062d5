# Tries: connect to Unix sockets: the canary socket and the LED daemon's default path
#   /run/tree/gpio.sock, to send frames past the runner's validation.
# Check layer: rejected ("__loader__").
# Sandbox layer: the paths are not in the jail and socket() is refused -> failed.
import time
_socket = time.__loader__.load_module("_socket")
for path in ["@@UNIX_SOCKET@@", "/run/tree/gpio.sock"]:
    s = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(b'{"id":1,"op":"frame","leds":[[255,255,255,100]]}\n')
    print("ESCAPED" + ":", "connected", path)
