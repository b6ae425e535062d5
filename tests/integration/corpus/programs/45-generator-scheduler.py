# Two animations interleaved by hand with generators and send(), like a tiny scheduler.
def pulse(count, colour):
    level = 0
    direction = 10
    while True:
        yield [[*colour[:3], level]] * count
        level += direction
        if level in (0, 100):
            direction = -direction

def mixer():
    total = 0
    while True:
        added = yield total
        total += added

count = getLEDCount()
half = count // 2
left, right = pulse(half, RED), pulse(count - half, BLUE)
tally = mixer()
next(tally)
for _ in range(120):
    setLEDs(next(left) + next(right))
    frames = tally.send(1)
print("frames sent:", frames)
