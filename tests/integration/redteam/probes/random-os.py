# Tries: random._os is the real os module on Debian's Python 3.11; read the canary secret
#   and /etc/shadow with it.
# Check layer: rejected ("_os" starts with "_").
# Sandbox layer: neither file exists in the jail (no /etc, no host /tmp) -> failed.
import random
os = random._os
for path in ["@@SECRET_PATH@@", "/etc/shadow"]:
    fd = os.open(path, os.O_RDONLY)
    print("ESCAPED" + ":", os.read(fd, 200))
