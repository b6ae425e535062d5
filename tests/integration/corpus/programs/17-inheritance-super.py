# Effects as classes sharing a base class, with super().__init__() and overridden methods.
import math

class Effect:
    def __init__(self, count):
        self.count = count
        self.frame_number = 0

    def colour(self, i):
        return OFF

    def next_frame(self):
        self.frame_number += 1
        return [self.colour(i) for i in range(self.count)]

    def __str__(self):
        return f"{type(self).__name__} at frame {self.frame_number}"

class Wave(Effect):
    def __init__(self, count, hue):
        super().__init__(count)
        self.hue = hue

    def colour(self, i):
        return hsv(self.hue, 1, (math.sin(i / 3 + self.frame_number / 5) + 1) / 2)

class Blink(Effect):
    def __init__(self, count):
        Effect.__init__(self, count)

    def colour(self, i):
        return WHITE if (self.frame_number // 10) % 2 else BLUE

for effect in (Wave(getLEDCount(), 120), Blink(getLEDCount())):
    for _ in range(60):
        setLEDs(effect.next_frame())
    print(effect)
