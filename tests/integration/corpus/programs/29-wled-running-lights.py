# WLED's "Running" lights: sine waves of brightness travelling along the strip.
import math

count = getLEDCount()
for step in range(180):
    frame = []
    for i in range(count):
        level = int((math.sin((i + step) * 0.4) + 1) * 50)
        frame.append([255, 40, 0, level])
    setLEDs(frame)
