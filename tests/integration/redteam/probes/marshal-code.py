# Tries: load marshal through time.__loader__, turn bytes into a code object and run it
#   with a fresh function (type(f)(code, globals)), i.e. exec without exec.
# Check layer: rejected ("__loader__", "__code__").
# Sandbox layer: the code runs, but only inside the jail: the secret is absent -> failed.
import time
marshal = time.__loader__.load_module("marshal")
payload = marshal.dumps((lambda: __import__("posix").open("@@SECRET_PATH@@", 0)).__code__)
code = marshal.loads(payload)
fn = type(lambda: 0)(code, {"__builtins__": time.__loader__.load_module("builtins")})
print("ESCAPED" + ":", fn())
