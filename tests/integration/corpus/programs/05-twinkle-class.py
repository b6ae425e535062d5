# Twinkling stars: each star is an object with its own phase and speed (classes, __init__, __repr__).
import math
import random

class Star:
    def __init__(self, index):
        self.index = index
        self.phase = random.uniform(0, math.tau)
        self.speed = random.uniform(1.5, 4.0)

    def brightness(self, t):
        return (math.sin(self.phase + t * self.speed) + 1) / 2

    def __repr__(self):
        return f"Star({self.index}, speed={self.speed:.2f})"

stars = [Star(i) for i in range(getLEDCount())]
print(stars[0])
for frame_number in range(120):
    t = frame_number / 60
    setLEDs([rgb(255, 230, 160, 100 * star.brightness(t)) for star in stars])
