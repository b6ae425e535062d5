# Tries: start threads until the process table or memory is gone, through _thread loaded
#   by time.__loader__.
# Check layer: rejected ("__loader__").
# Sandbox layer: RLIMIT_NPROC (and stage 2) stop thread creation; the time limit ends the
#   rest -> failed or timeout.
import time
_thread = time.__loader__.load_module("_thread")
count = 0
def spin():
    while True:
        pass
while True:
    _thread.start_new_thread(spin, ())
    count += 1
    if count % 10 == 0:
        print("threads:", count)
