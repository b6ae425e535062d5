# Alternative constructors with @classmethod and helpers with @staticmethod.
class Gradient:
    def __init__(self, start, end):
        self.start, self.end = start, end

    @classmethod
    def warm(cls):
        return cls(RED, GOLD)

    @classmethod
    def cold(cls):
        return cls(BLUE, CYAN)

    @staticmethod
    def mix(a, b, t):
        return [round(a[k] + (b[k] - a[k]) * t) for k in range(4)]

    def frame(self, count, shift):
        return [self.mix(self.start, self.end, ((i + shift) % count) / count) for i in range(count)]

count = getLEDCount()
for gradient in (Gradient.warm(), Gradient.cold()):
    for shift in range(70):
        setLEDs(gradient.frame(count, shift))
