# Tries: attributes starting with "_" are allowed when the program sets them itself since
#   issue 9, so set an own `_os` and then read `_os` off the random module through an alias
#   the check cannot tie to the module.
# Check layer: rejected (random._os is one of the module's hidden members, whatever holds it).
# Sandbox layer: the probe holds the real os ("reached os:"), but the secret is not in the
#   jail -> failed.
import random

class Box:
    def __init__(self):
        self._os = None

holder = [random][0]
os = holder._os
print("reached os:", os, sorted(os.listdir("/")))
fd = os.open("@@SECRET_PATH@@", os.O_RDONLY)
print("ESCAPED" + ":", os.read(fd, 200))
