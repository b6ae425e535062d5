# Tries: exhaust file descriptors (pipes, dups) to starve the runner or the host.
# Check layer: rejected ("_os").
# Sandbox layer: RLIMIT_NOFILE (64) stops it inside the jail -> failed (EMFILE).
import random
os = random._os
fds = []
while True:
    fds.append(os.dup(1))
