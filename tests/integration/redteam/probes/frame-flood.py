# Tries: bypass setLEDs's pacing and write valid frames to the frame channel as fast as
#   possible, to overrun the LED daemon.
# Check layer: rejected ("_os").
# Sandbox layer: the runner's rate cap drops the excess and stops the program after
#   sustained flooding -> failed (or timeout), accepted frames bounded by the rate.
import random
os = random._os
line = ("[" + ",".join(["[255,255,255,100]"] * getLEDCount()) + "]\n").encode()
while True:
    os.write(3, line * 50)
