# Tries: fill the disk by writing to /tmp until something breaks.
# Check layer: rejected ("_os").
# Sandbox layer: /tmp is a 1 MiB private tmpfs and RLIMIT_FSIZE caps a file; stage 2 may
#   refuse the open itself -> failed (ENOSPC, EFBIG/SIGXFSZ or EROFS).
import random
os = random._os
fd = os.open("/tmp/fill", os.O_WRONLY | os.O_CREAT, 0o644)
chunk = b"x" * 65536
while True:
    os.write(fd, chunk)
