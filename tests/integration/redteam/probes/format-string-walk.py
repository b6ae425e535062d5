# Tries: str.format walks attributes inside the string ("{0.__globals__}"), invisible to a
#   syntax check; dump the harness's globals and the builtins through setLEDs.
# Check layer: rejected (a format field with an attribute).
# Sandbox layer: the dump shows only the jail's own objects -> completed; the secret must
#   not be in the output.
print("{0.__globals__}".format(setLEDs)[:2000])
print("{0.__class__.__base__.__subclasses__}".format(()))
