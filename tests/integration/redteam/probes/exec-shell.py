# Tries: replace the interpreter with a shell (execv /bin/sh) to leave Python entirely.
# Check layer: rejected ("_os").
# Sandbox layer: stage 2 kills the process on execve -> failed (SIGSYS).
import random
random._os.execv("/bin/sh", ["sh", "-c", "cat @@SECRET_PATH@@; echo ESCAPED"])
