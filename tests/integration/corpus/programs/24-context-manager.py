# A context manager that lights the tree while a block runs and turns it off afterwards.
class Lit:
    def __init__(self, colour):
        self.colour = colour
        self.count = getLEDCount()

    def __enter__(self):
        setLEDs([self.colour] * self.count)
        return self

    def __exit__(self, kind, value, traceback):
        setLEDs([OFF] * self.count)
        return False

for colour in (RED, GREEN, BLUE):
    with Lit(colour) as lit:
        for level in range(0, 101, 5):
            setLEDs([[*colour[:3], level]] * lit.count)
