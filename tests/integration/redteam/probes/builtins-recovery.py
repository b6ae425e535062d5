# Tries: recover the real builtins from __builtins__ (dict or module) and use __import__
#   and open to read the secret.
# Check layer: rejected ("__builtins__").
# Sandbox layer: the harness's import allow-list refuses os; even open() finds no secret -> failed.
b = __builtins__
b = b if isinstance(b, dict) else b.__dict__
try:
    os = b["__import__"]("os")
    print("ESCAPED" + ":", "imported os", os)
except ImportError as error:
    print("import refused:", error)
print("ESCAPED" + ":", b["open"]("@@SECRET_PATH@@").read())
