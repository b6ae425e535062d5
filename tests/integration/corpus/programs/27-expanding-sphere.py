# A sphere growing from the middle of the tree and popping, over and over (distance in 3D).
import math

coords = getLEDPositions()
centre = [sum(axis) / len(coords) for axis in zip(*coords)]
distances = [math.dist(point, centre) for point in coords]
radius_max = max(distances) or 1.0

for step in range(160):
    radius = radius_max * ((step % 40) / 40)
    hue = (step // 40) * 90
    setLEDs([hsv(hue) if abs(d - radius) < radius_max / 6 else OFF for d in distances])
