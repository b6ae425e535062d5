# Everyday variable names that happen to be builtins: dir, type, input, format, max_, id.
import random

dir = 1
type = "solid"
input = [RED, GREEN, BLUE]
id = 0
count = getLEDCount()
for step in range(120):
    if step % 20 == 0:
        dir = -dir
        type = random.choice(["solid", "alternate"])
    id = (id + dir) % len(input)
    if type == "solid":
        frame = [input[id]] * count
    else:
        frame = [input[(id + i) % len(input)] for i in range(count)]
    setLEDs(frame)
