# Module-level _helper functions and _CONSTANTS, the way tidy code marks its internals.
import math

_PALETTE = [RED, ORANGE, YELLOW, GREEN, CYAN, BLUE, PURPLE]
_SPEED = 0.2

def _blend(a, b, t):
    return [int(a[k] + (b[k] - a[k]) * t) for k in range(4)]

def _palette_colour(position):
    position %= len(_PALETTE)
    low = int(position)
    return _blend(_PALETTE[low], _PALETTE[(low + 1) % len(_PALETTE)], position - low)

count = getLEDCount()
for step in range(150):
    setLEDs([_palette_colour(i / 4 + step * _SPEED) for i in range(count)])
