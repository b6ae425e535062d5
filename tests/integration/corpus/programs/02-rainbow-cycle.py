# Rainbow cycle (the classic strip-test effect): a colour wheel spread along the strip, turning.
import time

def wheel(position):
    """A colour from 0-255 around the wheel: red -> green -> blue -> red."""
    position = 255 - position % 256
    if position < 85:
        return [255 - position * 3, 0, position * 3, 100]
    if position < 170:
        position -= 85
        return [0, position * 3, 255 - position * 3, 100]
    position -= 170
    return [position * 3, 255 - position * 3, 0, 100]

count = getLEDCount()
for step in range(0, 256 * 5, 4):
    setLEDs([wheel(i * 256 // count + step) for i in range(count)])
    time.sleep(0.01)
