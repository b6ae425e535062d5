# Tries: hand setLEDs values that lie: a sequence whose length and items change between
#   reads (check-then-use), NaN, booleans, floats, huge integers and wrong lengths, hoping
#   something invalid reaches the frame channel or crashes the harness.
# Check layer: passes (a class with __len__/__getitem__ is allowed).
# Both layers: setLEDs raises a clear error, and the runner validates every frame again
#   -> failed, no invalid frame accepted.
class Liar:
    def __init__(self, n):
        self.n = n
        self.reads = 0

    def __len__(self):
        self.reads += 1
        return self.n if self.reads == 1 else self.n + 5

    def __getitem__(self, index):
        self.reads += 1
        if index >= self.n + 5:
            raise IndexError(index)
        return [255, 0, 0, 100] if self.reads < 3 else [10 ** 30, float("nan"), True, -1]

n = getLEDCount()
for label, states in [("nan", [[float("nan"), 0, 0, 100]] * n), ("bool", [[True, 0, 0, 100]] * n),
                      ("float", [[0.5, 0, 0, 100]] * n), ("huge", [[10 ** 30, 0, 0, 100]] * n),
                      ("too many", [[0, 0, 0, 100]] * (n + 1)), ("liar", Liar(n))]:
    try:
        setLEDs(states)
        print("accepted", label)
    except Exception as error:
        print("refused", label, repr(error))
setLEDs([[0, 0, 0, 100]] * (n - 1))
