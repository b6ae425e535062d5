# Tries: read environments and command lines through /proc: our own, pid 1's, our
#   parent's, and the canary process's (same uid on the host; it carries the secret in
#   both its environment and its command line).
# Check layer: rejected ("_os").
# Sandbox layer: no /proc is mounted, and the pid namespace hides host pids -> failed.
import random
os = random._os
pid = "@@CANARY_PID@@"
for path in ["/proc/self/environ", "/proc/1/environ", "/proc/1/cmdline", "/proc/" + pid + "/environ",
             "/proc/" + pid + "/cmdline", "/proc/self/mounts", "/proc/self/status"]:
    try:
        fd = os.open(path, os.O_RDONLY)
        print("ESCAPED" + ":", path, os.read(fd, 4000))
    except OSError as error:
        print("blocked", path, error)
print("environ:", dict(os.environ))
raise RuntimeError("every attempt was refused")
