# Tries: the part of the metaclass route no static rule can follow: type(kinds[0]) is
#   type, so classes get hooks the class rule refuses (__instancecheck__ saying yes to
#   anything, __getattr__, __exit__ with a traceback), then everything the check still
#   lets such a class do: keyword patterns (their names are visible and checked) on
#   setLEDs and random, and the hooks.
# Check layer: passes (a list and a one-argument type() look innocent); documented in
#   upload-check.py and FINDINGS.md F5.
# Both layers: keyword patterns read only attributes the check saw, and every hook is
#   checked code, so nothing new is reached -> completed (failed if a runtime guard on
#   type() refuses the class of a class).
import random
kinds = [type(1)]
T = type(kinds[0])
Meta = T("Meta", (T,), {"__instancecheck__": lambda cls, obj: True})
Anything = Meta("Anything", (), {
    "__getattr__": lambda self, name: "hooked " + name,
    "__enter__": lambda self: self,
    "__exit__": lambda self, kind, value, tb: print("exit hook got", kind, repr(tb)[:30]) or True,
})
match setLEDs:
    case Anything(getLEDCount=count):
        print("unexpected attribute", count)
    case Anything():
        print("matched setLEDs: no attribute read")
match random:
    case Anything(Random=generator):
        print("random.Random, as plain random.Random gives:", generator)
hooked = Anything()
print(hooked.anything)
with hooked:
    raise ValueError("swallowed by the hook")
print("type-via-list probe ran")
