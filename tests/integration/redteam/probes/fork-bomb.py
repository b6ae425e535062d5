# Tries: the fork bomb, through the os module random leaks.
# Check layer: rejected ("_os").
# Sandbox layer: stage 2 refuses fork (EPERM); RLIMIT_NPROC and the pid namespace stand
#   behind it -> failed, the host keeps its process table.
import random
os = random._os
children = 0
while True:
    os.fork()
    children += 1
