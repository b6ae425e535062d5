# A playlist of effects as functions in a list, each a generator of frames, run in turn with itertools-free code.
import math
import random

def chase(count):
    for step in range(40):
        yield [GREEN if (i + step) % 6 == 0 else OFF for i in range(count)]

def glow(count):
    for step in range(40):
        yield [rgb(255, 80, 0, 50 + 50 * math.sin(step / 4))] * count

def noise(count):
    for _ in range(40):
        yield [random.choice([RED, WHITE, OFF]) for _ in range(count)]

playlist = [chase, glow, noise]
count = getLEDCount()
for effect in playlist:
    print("now playing", effect.__name__)
    for frame in effect(count):
        setLEDs(frame)
