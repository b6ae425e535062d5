# Tries: the classic object-graph walk ().__class__.__base__.__subclasses__() to find a
#   class whose methods' __globals__ hold the os module, then read the canary secret and
#   run a shell command with it.
# Check layer: rejected (attributes starting with "_").
# Sandbox layer (--skip-check): the walk itself works (it is plain Python), but the secret
#   file is not in the jail's filesystem and fork/exec are refused -> failed.
SECRET_PATH = "@@SECRET_PATH@@"
for cls in ().__class__.__base__.__subclasses__():
    init = cls.__init__
    if hasattr(init, "__globals__") and "system" in init.__globals__:
        os = init.__globals__["os"] if "os" in init.__globals__ else init.__globals__
        sysmod = init.__globals__
        break
else:
    raise RuntimeError("no class with os in its globals")
fd = sysmod["open"](SECRET_PATH, 0)
print("ESCAPED" + ":", sysmod["read"](fd, 100))
