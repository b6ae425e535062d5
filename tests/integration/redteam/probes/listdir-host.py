# Tries: map the jail's filesystem: list /, /tmp, /usr, /run, /var, /sys, /dev and the
#   canary root, looking for anything of the host beyond the Python runtime.
# Check layer: rejected ("_os").
# Sandbox layer: the listings show only the runtime; the canary root is not there -> failed
#   (the canary root's random name must not appear in the output).
import random
os = random._os
for path in ["/", "/tmp", "/usr", "/run", "/var", "/sys", "/dev", "@@ROOT@@"]:
    try:
        print(path, sorted(os.listdir(path))[:40])
    except OSError as error:
        print("blocked", path, error)
os.listdir("@@ROOT@@")
