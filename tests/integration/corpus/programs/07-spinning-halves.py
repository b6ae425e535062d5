# The tree split in two colours by a vertical plane that spins around the trunk.
import math

coords = getLEDPositions()
angle = 0.0
for _ in range(180):
    c, s = math.cos(angle), math.sin(angle)
    setLEDs([RED if x * c + y * s > 0 else GREEN for x, y, _z in coords])
    angle += math.pi / 45
