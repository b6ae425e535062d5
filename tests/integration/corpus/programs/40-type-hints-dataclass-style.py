# Type hints, default arguments, keyword-only arguments and a hand-written record class.
from math import sin, pi

class Ripple:
    def __init__(self, centre: int, hue: float, *, speed: float = 0.5) -> None:
        self.centre = centre
        self.hue = hue
        self.speed = speed
        self.age = 0.0

    def __repr__(self) -> str:
        return f"Ripple(centre={self.centre}, hue={self.hue:.0f}, speed={self.speed})"

    def level(self, i: int) -> float:
        distance = abs(i - self.centre) - self.age
        return max(0.0, 1.0 - abs(distance) / 2) * max(0.0, 1 - self.age / 20)

count: int = getLEDCount()
ripples: list[Ripple] = [Ripple(count // 3, 200.0), Ripple(2 * count // 3, 30.0, speed=0.8)]
print(ripples)
for step in range(150):
    frame = []
    for i in range(count):
        level = min(1.0, sum(r.level(i) for r in ripples))
        hue = ripples[0].hue if level else 0.0
        frame.append(hsv(hue, 1, level))
    setLEDs(frame)
    for r in ripples:
        r.age = (r.age + r.speed) % 20
    ripples[0].hue = (ripples[0].hue + sin(step / 10 * pi)) % 360
