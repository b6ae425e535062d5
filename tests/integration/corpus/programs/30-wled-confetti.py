# Confetti: random coloured speckles that fade away (FastLED demo reel style).
import random

count = getLEDCount()
frame = [[0, 0, 0, 0] for _ in range(count)]
hue = 0
for _ in range(200):
    for state in frame:
        state[3] = max(0, state[3] - 8)
    spot = random.randrange(count)
    r, g, b, _level = hsv(hue + random.randint(0, 63))
    frame[spot] = [r, g, b, 100]
    hue += 1
    setLEDs(frame)
