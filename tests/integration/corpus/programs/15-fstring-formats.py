# f-strings with format specs, printing a small report while animating.
import math

count = getLEDCount()
total = 0.0
for step in range(90):
    level = 50 + 50 * math.sin(step / 9)
    total += level
    setLEDs([rgb(255, 0, 80, level)] * count)
    if step % 30 == 0:
        print(f"step {step:>3} | level {level:6.2f} | {level / 100:.0%} | hex {int(level):#04x} | {'on':^5}")
print(f"average {total / 90:.1f} over {count:,} LEDs")
