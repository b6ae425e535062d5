# Tries: an API function's __globals__ is the harness module: take os (or anything useful)
#   from setLEDs.__globals__ and read the secret.
# Check layer: rejected ("__globals__").
# Sandbox layer: the secret is not in the jail -> failed.
g = setLEDs.__globals__
os = None
for value in g.values():
    if getattr(value, "__name__", "") == "os":
        os = value
if os is None:
    os = g["__builtins__"]["__import__"]("os") if isinstance(g["__builtins__"], dict) else g["__builtins__"].__import__("os")
fd = os.open("@@SECRET_PATH@@", os.O_RDONLY)
print("ESCAPED" + ":", os.read(fd, 200))
