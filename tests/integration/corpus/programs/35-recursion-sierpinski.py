# A recursive pattern: light the LEDs whose index forms a Sierpinski-like pattern, level by level.
def pattern(n, depth):
    if depth == 0:
        return [True] * n
    third = max(1, n // 3)
    inner = pattern(third, depth - 1)
    return inner + [False] * (n - 2 * len(inner)) + inner

count = getLEDCount()
for depth in range(4):
    lit = pattern(count, depth)
    lit += [False] * (count - len(lit))
    for level in range(0, 101, 10):
        setLEDs([[200, 0, 255, level] if on else OFF for on in lit[:count]])
