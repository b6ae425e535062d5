# Snowflakes falling through the tree by height, as a list of small particle objects.
import random

coords = getLEDPositions()
heights = [z for _x, _y, z in coords]
top = max(heights)

class Flake:
    def __init__(self):
        self.z = top
        self.speed = random.uniform(0.01, 0.04) * top

    def fall(self):
        self.z -= self.speed
        return self.z > -0.1

flakes = [Flake() for _ in range(3)]
for step in range(160):
    if step % 10 == 0:
        flakes.append(Flake())
    flakes = [flake for flake in flakes if flake.fall()]
    frame = []
    for z in heights:
        near = any(abs(z - flake.z) < top / 20 for flake in flakes)
        frame.append(WHITE if near else [0, 20, 60, 30])
    setLEDs(frame)
