# A class keeping its state in _private and __mangled attributes, with a property.
class Fader:
    _instances = 0

    def __init__(self, speed):
        self._speed = speed
        self.__level = 0.0
        Fader._instances += 1

    @property
    def level(self):
        return self.__level

    @level.setter
    def level(self, value):
        self.__level = max(0.0, min(100.0, value))

    def _advance(self):
        self.level = self.level + self._speed
        if self.level in (0.0, 100.0):
            self._speed = -self._speed

    def step(self):
        self._advance()
        return int(self.level)

fader = Fader(4)
count = getLEDCount()
for _ in range(120):
    setLEDs([[255, 100, 0, fader.step()]] * count)
print("faders made:", Fader._instances)
