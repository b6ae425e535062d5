# Tries: data-model methods may be named as attributes since issue 9 (super().__init__(),
#   Base.__eq__(self, other)), so name object's own attribute lookup the same way,
#   object.__getattribute__(setLEDs, "__globals__").
# Check layer: rejected (__getattribute__ and the other attribute hooks are not data-model
#   methods a program may name).
# Sandbox layer: the lookup reaches the harness's globals and os, but the secret is not in
#   the jail -> failed.
found = object.__getattribute__(setLEDs, "__globals__")
os = found["_os"]
print("reached os:", os, sorted(os.listdir("/")))
fd = os.open("@@SECRET_PATH@@", os.O_RDONLY)
print("ESCAPED" + ":", os.read(fd, 200))
