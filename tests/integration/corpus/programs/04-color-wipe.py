# Colour wipe: fill the strip one LED at a time, then wipe it with the next colour.
def color_wipe(colour, frame, delay=0.005):
    for i in range(len(frame)):
        frame[i] = colour
        setLEDs(frame)
        wait(delay)

frame = [OFF] * getLEDCount()
for colour in (RED, GOLD, GREEN, BLUE, OFF):
    color_wipe(colour, frame)
