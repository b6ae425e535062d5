# Random sparkles on a dim green tree, using := to keep the chosen LED.
import random

count = getLEDCount()
base = [[0, 60, 0, 40]] * count
for _ in range(150):
    frame = list(base)
    if (lucky := random.randrange(count)) % 2 == 0:
        frame[lucky] = WHITE
    else:
        frame[lucky] = GOLD
    setLEDs(frame)
