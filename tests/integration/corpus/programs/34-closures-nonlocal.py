# A counter built from a closure with nonlocal, and a global frame counter.
frames_shown = 0

def make_stepper(start, step):
    value = start

    def advance():
        nonlocal value
        value = (value + step) % 360
        return value

    return advance

def show(frame):
    global frames_shown
    frames_shown += 1
    setLEDs(frame)

hue_a, hue_b = make_stepper(0, 3), make_stepper(180, 5)
count = getLEDCount()
for _ in range(120):
    a, b = hue_a(), hue_b()
    show([hsv(a) if i < count // 2 else hsv(b) for i in range(count)])
print("frames:", frames_shown)
