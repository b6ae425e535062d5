# Duck typing with hasattr: shapes that may or may not know how to move.
class Dot:
    def __init__(self, position, colour):
        self.position = position
        self.colour = colour

class MovingDot(Dot):
    def __init__(self, position, colour, speed):
        super().__init__(position, colour)
        self.speed = speed

    def move(self, count):
        self.position = (self.position + self.speed) % count

count = getLEDCount()
dots = [Dot(0, WHITE), MovingDot(3, RED, 1), MovingDot(10, BLUE, 2)]
for _ in range(120):
    frame = [OFF] * count
    for dot in dots:
        if hasattr(dot, "move"):
            dot.move(count)
        frame[dot.position % count] = dot.colour
    setLEDs(frame)
