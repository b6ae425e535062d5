# The idle show: runs on the tree whenever no visitor program is waiting.
# It goes through the same checker and sandbox as every visitor's program, so
# it uses only the visitor API (getLEDCount, setLEDs) and math/time.
import math
import time

count = getLEDCount()
level = 40


def colour(hue):
    # A hue 0..1 on the colour wheel as [R, G, B], full saturation and value.
    sector = hue * 6.0
    part = sector - math.floor(sector)
    rising = int(255 * part)
    falling = 255 - rising
    index = int(sector) % 6
    if index == 0:
        return [255, rising, 0]
    if index == 1:
        return [falling, 255, 0]
    if index == 2:
        return [0, 255, rising]
    if index == 3:
        return [0, falling, 255]
    if index == 4:
        return [rising, 0, 255]
    return [255, 0, falling]


start = time.time()
while True:
    now = time.time() - start
    frame = []
    for led in range(count):
        hue = (led / count + now * 0.05) % 1.0
        red, green, blue = colour(hue)
        # A slow breathing wave running up the strip.
        wave = 0.6 + 0.4 * math.sin(now * 1.5 - led * 0.15)
        frame.append([red, green, blue, int(level * wave)])
    setLEDs(frame)
    time.sleep(0.05)
