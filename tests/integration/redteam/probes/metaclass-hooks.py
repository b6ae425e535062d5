# Tries: a metaclass and __init_subclass__ hook to run code while classes are built and
#   reach the class machinery (type(name, bases, dict) with dunder keys from strings).
# Check layer: rejected (metaclass= keyword; three-argument type()).
# Sandbox layer: plain Python, nothing outside reached -> completed.
class Meta(type):
    def __new__(mcls, name, bases, ns):
        ns["hooked"] = True
        return super().__new__(mcls, name, bases, ns)

class A(metaclass=Meta):
    pass

B = type("B", (), {"__init_subclass__": classmethod(lambda cls: print("subclass", cls))})
class C(B):
    pass
print(A.hooked)
