# Fire along the strip: heat cools, drifts upward and sparks at the bottom (after the Fire2012 idea).
import random

COOLING = 55
SPARKING = 120
count = getLEDCount()
heat = [0] * count

def heat_colour(temperature):
    t = temperature * 191 // 255
    ramp = (t & 63) << 2
    if t > 128:
        return [255, 255, ramp, 100]
    if t > 64:
        return [255, ramp, 0, 100]
    return [ramp, 0, 0, 100]

for _ in range(200):
    for i in range(count):
        heat[i] = max(0, heat[i] - random.randint(0, COOLING * 10 // count + 2))
    for i in range(count - 1, 1, -1):
        heat[i] = (heat[i - 1] + 2 * heat[i - 2]) // 3
    if random.randint(0, 255) < SPARKING:
        spot = random.randint(0, min(6, count - 1))
        heat[spot] = min(255, heat[spot] + random.randint(160, 255))
    setLEDs([heat_colour(h) for h in heat])
