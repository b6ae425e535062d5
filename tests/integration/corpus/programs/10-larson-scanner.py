# A Larson scanner (the sweeping red eye), with the eye's width as a keyword argument.
import math

def eye(count, centre, width=3):
    frame = []
    for i in range(count):
        distance = abs(i - centre)
        level = max(0, 100 - int(distance * 100 / width))
        frame.append([255, 0, 0, level])
    return frame

count = getLEDCount()
for step in range(240):
    centre = (count - 1) * (math.sin(step / 15) + 1) / 2
    setLEDs(eye(count, centre, width=4))
