# Animation driven by the clock rather than a frame counter, stopping after two seconds.
import time
import math

start = time.monotonic()
count = getLEDCount()
while (elapsed := time.monotonic() - start) < 2.0:
    setLEDs([hsv(elapsed * 180 + i * 360 / count, 1, 0.5 + 0.5 * math.cos(elapsed * 4)) for i in range(count)])
print(f"ran for {elapsed:.1f} s")
