# Bubble sort shown on the tree: each LED's hue is a value, swaps happen one frame at a time.
import random

count = getLEDCount()
values = list(range(count))
random.shuffle(values)

def show(highlight=None):
    frame = [hsv(v * 300 / count) for v in values]
    if highlight is not None:
        frame[highlight] = WHITE
    setLEDs(frame)

swaps = 0
for end in range(count - 1, 0, -1):
    for i in range(end):
        if values[i] > values[i + 1]:
            values[i], values[i + 1] = values[i + 1], values[i]
            swaps += 1
            show(i + 1)
        if swaps > 150:
            break
    if swaps > 150:
        break
show()
print("swaps:", swaps, "sorted so far:", values == sorted(values))
