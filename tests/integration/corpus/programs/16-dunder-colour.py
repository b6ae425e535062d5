# A Colour class with arithmetic, comparisons and conversions (data-model methods).
class Colour:
    __slots__ = ("r", "g", "b")

    def __init__(self, r, g, b):
        self.r, self.g, self.b = r, g, b

    def __add__(self, other):
        return Colour(min(255, self.r + other.r), min(255, self.g + other.g), min(255, self.b + other.b))

    def __mul__(self, factor):
        return Colour(int(self.r * factor), int(self.g * factor), int(self.b * factor))

    __rmul__ = __mul__

    def __eq__(self, other):
        return isinstance(other, Colour) and (self.r, self.g, self.b) == (other.r, other.g, other.b)

    def __hash__(self):
        return hash((self.r, self.g, self.b))

    def __iter__(self):
        yield from (self.r, self.g, self.b)

    def __len__(self):
        return 3

    def __bool__(self):
        return any(self)

    def __float__(self):
        return (self.r + self.g + self.b) / 765

    def __repr__(self):
        return f"{self.__class__.__name__}({self.r}, {self.g}, {self.b})"

    def __str__(self):
        return f"#{self.r:02x}{self.g:02x}{self.b:02x}"

    def state(self, level=100):
        return [*self, level]

red, blue = Colour(200, 0, 0), Colour(0, 0, 200)
print(repr(red + blue), str(0.5 * red), float(blue), len(red), bool(Colour(0, 0, 0)), red == Colour(200, 0, 0))
count = getLEDCount()
for step in range(100):
    mix = red * (step / 100) + blue * (1 - step / 100)
    setLEDs([mix.state()] * count)
