# Tries: read host secrets through the leaked os: /etc/shadow, /etc/passwd, /etc/hostname,
#   /root and /home listings.
# Check layer: rejected ("_os").
# Sandbox layer: the jail has no /etc, /root or /home -> failed; "root:" never appears.
import random
os = random._os
for path in ["/etc/shadow", "/etc/passwd", "/etc/hostname"]:
    try:
        fd = os.open(path, os.O_RDONLY)
        print("ESCAPED" + ":", path, os.read(fd, 500))
    except OSError as error:
        print("blocked", path, error)
for path in ["/root", "/home", "/etc"]:
    print("ESCAPED" + ":", path, os.listdir(path))
