# A horizontal plane sweeping up and down through the tree, coloured by height (coordinates, xmastree style).
import math

coords = getLEDPositions()
heights = [z for _, _, z in coords]
low, high = min(heights), max(heights)
span = (high - low) or 1.0
thickness = span / 8

for step in range(150):
    level = low + span * (math.sin(step / 20) + 1) / 2
    frame = []
    for x, y, z in coords:
        if abs(z - level) < thickness:
            frame.append(hsv(360 * (z - low) / span))
        else:
            frame.append(OFF)
    setLEDs(frame)
