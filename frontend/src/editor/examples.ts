/** Starter programs for the example picker. Each one runs as it is; all stay under the 45 s slot. */
export interface Example {
  id: string;
  title: string;
  code: string;
}

export const examples: Example[] = [
  {
    id: "blue",
    title: "All blue (the classic)",
    code: `import time

led_count = getLEDCount()
states = [[0, 0, 255, 100] for _ in range(led_count)]  # Set all LEDs to blue
# or states = [BLUE] * led_count
setLEDs(states)

time.sleep(10)  # keep it lit for 10 seconds
`,
  },
  {
    id: "rainbow",
    title: "Rolling rainbow",
    code: `import time

n = getLEDCount()
start = time.time()

while time.time() - start < 40:
    shift = (time.time() - start) * 90  # degrees of hue per second
    # hsv(hue) gives a colour: hue 0 = red, 120 = green, 240 = blue
    setLEDs([hsv(shift + i * 360 / n) for i in range(n)])
`,
  },
  {
    id: "twinkle",
    title: "Twinkling stars",
    code: `import random
import time

n = getLEDCount()
states = [[0, 0, 0, 0] for _ in range(n)]
colours = [WHITE, WARM_WHITE, GOLD, RED]
end = time.time() + 40

while time.time() < end:
    # fade every LED a little...
    for i in range(n):
        r, g, b, level = states[i]
        states[i] = [r, g, b, max(0, level - 6)]
    # ...and light a few new ones
    for _ in range(max(1, n // 25)):
        states[random.randrange(n)] = list(random.choice(colours))
    setLEDs(states)
    time.sleep(0.05)
`,
  },
  {
    id: "sweep",
    title: "Sweep up and down (3D)",
    code: `import math
import time

# (x, y, z) of every LED: x and y from -1 to 1, z from 0 (bottom) up
positions = getLEDPositions()
top = max(z for x, y, z in positions)
end = time.time() + 40

while time.time() < end:
    t = time.time()
    height = (math.sin(t * 1.5) + 1) / 2 * top  # a plane moving up and down
    states = []
    for x, y, z in positions:
        if abs(z - height) < 0.12 * top:
            states.append(hsv(t * 60 + z * 120))
        else:
            states.append(OFF)
    setLEDs(states)
`,
  },
  {
    id: "spin",
    title: "Spinning stripes (3D)",
    code: `import math
import time

positions = getLEDPositions()
end = time.time() + 40

while time.time() < end:
    turn = time.time() * 2  # radians per second
    states = []
    for x, y, z in positions:
        angle = math.atan2(y, x) + turn
        if math.sin(angle * 3) > 0:  # three red and three white stripes
            states.append(RED)
        else:
            states.append(WHITE)
    setLEDs(states)
`,
  },
];

export const defaultExample = examples[0]!;
