# Sinelon and Juggle: dots swinging back and forth at different speeds, leaving trails.
import math

count = getLEDCount()
frame = [[0, 0, 0, 0] for _ in range(count)]
for step in range(200):
    for state in frame:
        state[3] = state[3] * 3 // 4
    for dot in range(4):
        position = int((math.sin(step * (dot + 1) / 25) + 1) / 2 * (count - 1))
        r, g, b, _ = hsv(dot * 90)
        frame[position] = [r, g, b, 100]
    setLEDs(frame)
