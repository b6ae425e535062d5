# Tries: read the canary secret by its host path, by a relative path from /, by
#   /proc/1/root and via the canary directory's parent.
# Check layer: rejected ("_os").
# Sandbox layer: none of those paths exists in the jail -> failed.
import random
os = random._os
secret = "@@SECRET_PATH@@"
for path in [secret, "../../../../" + secret, "/proc/1/root" + secret, "/proc/self/root" + secret]:
    try:
        fd = os.open(path, os.O_RDONLY)
        print("ESCAPED" + ":", os.read(fd, 200))
    except OSError as error:
        print("blocked", path, error)
raise RuntimeError("every attempt was refused")
