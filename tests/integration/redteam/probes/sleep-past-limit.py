# Tries: sleep far past the time limit (CPU-time limits miss sleepers).
# Check layer: passes (time.sleep is allowed).
# Both layers: the wall clock is enforced from outside with SIGKILL -> timeout.
import time
time.sleep(3600)
print("ESCAPED" + ":", "outlived the time limit")
