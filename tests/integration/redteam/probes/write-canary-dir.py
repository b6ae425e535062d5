# Tries: write into the host's world-writable canary directory: a new file, and
#   overwriting the planted one.
# Check layer: rejected ("_os").
# Sandbox layer: the directory is not in the jail; writes are refused (EROFS) -> failed.
import random
os = random._os
fd = os.open("@@CANARY_DIR@@/pwned.txt", os.O_WRONLY | os.O_CREAT, 0o666)
os.write(fd, b"pwned")
fd = os.open("@@CANARY_DIR@@/keep.txt", os.O_WRONLY | os.O_TRUNC)
os.write(fd, b"pwned")
print("ESCAPED" + ":", "wrote the canary dir")
