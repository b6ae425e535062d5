# Theater chase: every third LED lit, the pattern marching along like cinema marquee bulbs.
count = getLEDCount()
colours = [RED, GREEN, WHITE]

for cycle in range(30):
    colour = colours[cycle // 10]
    for offset in range(3):
        frame = [OFF] * count
        for i in range(offset, count, 3):
            frame[i] = colour
        setLEDs(frame)
        wait(0.05)
