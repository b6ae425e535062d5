# Tries: kill the canary process (same uid on the host), every process of the uid
#   (kill -1) and our own parent.
# Check layer: rejected ("_os").
# Sandbox layer: the pid namespace hides the canary (ESRCH); kill(-1) reaches only the
#   jail; the canary must stay alive -> failed or completed.
import random
os = random._os
for pid in [int("@@CANARY_PID@@"), -1, os.getppid()]:
    try:
        os.kill(pid, 9)
        print("kill", pid, "returned")
    except OSError as error:
        print("blocked kill", pid, error)
