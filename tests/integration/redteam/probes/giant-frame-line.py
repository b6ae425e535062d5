# Tries: write a 10 MiB line without a newline to the frame channel (fd 3), to make the
#   runner buffer it all.
# Check layer: rejected ("_os").
# Sandbox layer: the runner caps a line at 64 KiB, counts it invalid and drops the rest;
#   the program ends or is stopped -> failed, no frame accepted.
import random
os = random._os
chunk = b"[" + b"[1,2,3,4]," * 100000
for _ in range(10):
    os.write(3, chunk)
os.write(3, b"\n")
raise RuntimeError("every attempt was refused")
