# WLED's "Colorloop": the whole tree slowly walking through every hue.
count = getLEDCount()
hue = 0.0
while hue < 360:
    setLEDs([hsv(hue)] * count)
    hue += 2.5
