# A spiral winding up the cone of the tree: each LED's angle around the trunk plus its height.
import math

coords = getLEDPositions()
angles = [math.atan2(y, x) for x, y, _z in coords]
heights = [z for _x, _y, z in coords]
top = max(heights) or 1.0

for step in range(150):
    offset = step / 10
    frame = []
    for angle, z in zip(angles, heights):
        band = math.sin(angle * 2 + z / top * 12 - offset)
        frame.append(hsv(z / top * 300, 1, 1) if band > 0.6 else [0, 0, 0, 0])
    setLEDs(frame)
