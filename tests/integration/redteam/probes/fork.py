# Tries: fork a child process (the first step of every process trick).
# Check layer: rejected ("_os").
# Sandbox layer: stage 2 refuses fork/clone without CLONE_THREAD -> failed.
import random
pid = random._os.fork()
if pid == 0:
    random._os._exit(0)
print("ESCAPED" + ":", "forked", pid)
