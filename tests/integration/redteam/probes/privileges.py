# Tries: become root or change the view of the system: setuid(0), setgid(0), chroot,
#   chdir out, setpriority to -20, and prctl through the os module's helpers.
# Check layer: rejected ("_os").
# Sandbox layer: an unprivileged uid in a user namespace without mappings to root; these
#   calls are refused or fatal -> failed.
import random
os = random._os
results = []
for name, call in [("setuid", lambda: os.setuid(0)), ("setgid", lambda: os.setgid(0)),
                   ("chroot", lambda: os.chroot("/tmp")), ("nice", lambda: os.setpriority(os.PRIO_PROCESS, 0, -20))]:
    try:
        call()
        results.append(name)
    except OSError as error:
        print("blocked", name, error)
if results:
    print("ESCAPED" + ":", results)
raise RuntimeError("every attempt was refused")
