# str.format on templates held in variables, with format specs and indexes.
import math

REPORT = "frame {:>4}: hue {:6.1f} ({})"
row = "{0[0]:>3},{0[1]:>3},{0[2]:>3}"
count = getLEDCount()
for step in range(90):
    hue = (step * 4) % 360
    colour = hsv(hue)
    setLEDs([colour] * count)
    if step % 30 == 0:
        print(REPORT.format(step, hue, row.format(colour)))
        print("{:.3f}".format(math.sin(step)))
