# Tries: time.__loader__ is BuiltinImporter, which loads the compiled-in posix module
#   without touching a file; list the host's /tmp and read the canary secret.
# Check layer: rejected ("__loader__").
# Sandbox layer: /tmp is the jail's private tmpfs, the secret is absent -> failed.
import time
posix = time.__loader__.load_module("posix")
print(posix.listdir("/tmp"))
fd = posix.open("@@SECRET_PATH@@", posix.O_RDONLY)
print("ESCAPED" + ":", posix.read(fd, 200))
