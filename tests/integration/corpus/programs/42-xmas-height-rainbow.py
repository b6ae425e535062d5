# Rainbow bands rising through the tree by height, normalised the way coordinate trees do.
coords = getLEDPositions()
zs = [z for _, _, z in coords]
z_min, z_max = min(zs), max(zs)
normalised = [(z - z_min) / ((z_max - z_min) or 1) for z in zs]

for step in range(150):
    setLEDs([hsv((height * 360 * 2 - step * 6) % 360) for height in normalised])
