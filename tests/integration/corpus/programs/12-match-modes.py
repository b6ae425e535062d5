# One loop, several modes picked with match (literal, capture and guard patterns).
import math

count = getLEDCount()

def colour_for(mode, i, t):
    match mode:
        case "solid":
            return GOLD
        case "stripes":
            return RED if (i + t) % 4 < 2 else WHITE
        case ("pulse", speed):
            return rgb(0, 255, 100, 50 + 50 * math.sin(t * speed))
        case {"hue": hue} if 0 <= hue <= 360:
            return hsv(hue + i * 4)
        case _:
            return OFF

modes = ["solid", "stripes", ("pulse", 0.3), {"hue": 200}, "unknown"]
for t in range(150):
    mode = modes[t // 30]
    setLEDs([colour_for(mode, i, t) for i in range(count)])
