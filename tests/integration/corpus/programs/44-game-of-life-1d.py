# A one-dimensional cellular automaton (rule 90) growing along the strip.
RULE = 90
count = getLEDCount()
cells = [0] * count
cells[count // 2] = 1

def step(cells):
    n = len(cells)
    return [(RULE >> (cells[(i - 1) % n] << 2 | cells[i] << 1 | cells[(i + 1) % n])) & 1 for i in range(n)]

generation = 0
while generation < 120:
    setLEDs([[0, 255, 120, 100] if alive else OFF for alive in cells])
    cells = step(cells)
    generation += 1
