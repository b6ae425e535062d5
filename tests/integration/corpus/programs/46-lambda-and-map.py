# Small functional style: lambda, map, filter, zip and min/max with keys.
count = getLEDCount()
positions = getLEDPositions()
brightness = lambda z, top: int(20 + 80 * z / top) if top else 100
top = max(map(lambda p: p[2], positions))
lowest = min(range(count), key=lambda i: positions[i][2])
even = list(filter(lambda i: i % 2 == 0, range(count)))

for step in range(100):
    frame = [[0, 120, 255, brightness(p[2], top)] for p in positions]
    for i in even:
        if (i + step) % 8 == 0:
            frame[i] = GOLD
    frame[lowest] = RED
    setLEDs(frame)
