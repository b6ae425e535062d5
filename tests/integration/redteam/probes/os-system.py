# Tries: os.system and posix_spawn, the one-liners a student would try first.
# Check layer: rejected ("_os").
# Sandbox layer: fork, vfork, clone and execve are refused or fatal -> failed.
import random
os = random._os
print("system:", os.system("cat @@SECRET_PATH@@"))
print("ESCAPED" + ":", os.posix_spawn("/bin/sh", ["sh", "-c", "echo ESCAPED"], {}))
