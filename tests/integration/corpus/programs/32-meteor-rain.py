# Meteor rain: a bright head falling down the strip with a random, decaying tail.
import random

count = getLEDCount()
levels = [0] * count
size = 4
for step in range(count * 3):
    for i in range(count):
        if random.random() < 0.5:
            levels[i] = levels[i] * 3 // 5
    head = count - 1 - step % (count + size)
    for k in range(size):
        if 0 <= head + k < count:
            levels[head + k] = 100
    setLEDs([[255, 255, 255, level] for level in levels])
