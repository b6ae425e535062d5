# A comet with a fading tail, its positions produced by a generator.
def bounce(count):
    """Yields positions 0, 1, ..., count-1, count-2, ... forever."""
    position, direction = 0, 1
    while True:
        yield position
        if not 0 <= position + direction < count:
            direction = -direction
        position += direction

count = getLEDCount()
tail = [0] * count
for step, head in zip(range(200), bounce(count)):
    tail = [max(0, level - 12) for level in tail]
    tail[head] = 100
    setLEDs([[255, 120, 20, level] for level in tail])
