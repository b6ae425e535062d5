# Tries: find and abuse inherited descriptors: write to every fd 0-1023, stat each one,
#   look for a writable one that leads outside (the seccomp fd, a socket, a log file).
# Check layer: rejected ("_os").
# Sandbox layer: only stdin, stdout, stderr and the frame fd exist; writes to the frame fd
#   are validated as frames -> completed or failed, nothing outside reached.
import random
os = random._os
found = []
for fd in range(1024):
    try:
        info = os.fstat(fd)
        found.append((fd, info.st_mode))
    except OSError:
        continue
    try:
        os.write(fd, b"hello from fd probe\n")
    except OSError as error:
        print("write refused", fd, error)
print("open fds:", found)
