# WLED's "Breathe": the whole tree fades in and out like slow breathing.
import math

count = getLEDCount()
for step in range(180):
    level = int(50 + 45 * math.sin(step / 12))
    setLEDs([[0, 80, 255, level]] * count)
