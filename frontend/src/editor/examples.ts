/**
 * Starter programs: the editor's example list and the docs' example gallery. Each one runs as it is,
 * all stay under the 45 s slot, and a test runs every one in the real sandbox under the flash limit.
 */
import { defaultExample, type Example } from "./default-example.ts";

export { defaultExample, type Example };

export const examples: Example[] = [
  defaultExample,
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
  {
    id: "fire",
    title: "Fire from the bottom",
    code: `import random
import time

# Hot at the bottom, cooler towards the top: the flames flicker, but slowly.
positions = getLEDPositions()
top = max(z for x, y, z in positions)
heat = [0.0] * len(positions)
end = time.time() + 40

while time.time() < end:
    states = []
    for i, (x, y, z) in enumerate(positions):
        height = z / top  # 0 at the bottom, 1 at the top
        target = max(0.0, 1.0 - height * 1.3) * random.uniform(0.6, 1.0)
        heat[i] += (target - heat[i]) * 0.15  # ease towards it: no sudden jumps
        h = heat[i]
        # dark red -> orange -> yellow as it gets hotter
        states.append(rgb(255, 40 + 180 * h, 20 * h, 100 * h))
    setLEDs(states)
    time.sleep(0.03)
`,
  },
  {
    id: "comet",
    title: "Comet with a tail",
    code: `import time

n = getLEDCount()
tail = 12  # how many LEDs the tail is long
end = time.time() + 40

while time.time() < end:
    head = int(time.time() * 30) % n  # 30 LEDs per second along the strip
    states = [OFF] * n
    for k in range(tail):
        r, g, b, _ = hsv(200 - k * 4, 0.6)  # icy blue, warmer down the tail
        level = int(100 * (tail - k) / tail)  # bright head, fading tail
        states[(head - k) % n] = [r, g, b, level]
    setLEDs(states)
    time.sleep(0.02)
`,
  },
  {
    id: "snow",
    title: "Snow falling by height (3D)",
    code: `import random
import time

positions = getLEDPositions()
top = max(z for x, y, z in positions)
flakes = []  # each flake: [x, y, z]
end = time.time() + 40

while time.time() < end:
    if random.random() < 0.3:  # now and then a new flake at the top
        flakes.append([random.uniform(-1, 1), random.uniform(-1, 1), top])
    for flake in flakes:
        flake[2] -= top * 0.01  # fall a little
    flakes = [f for f in flakes if f[2] > 0]
    states = []
    for x, y, z in positions:
        # an LED glows when a flake is near it
        near = any(abs(z - fz) < top * 0.06 and (x - fx) ** 2 + (y - fy) ** 2 < 0.5 for fx, fy, fz in flakes)
        states.append(WHITE if near else [0, 0, 40, 10])
    setLEDs(states)
    time.sleep(0.04)
`,
  },
  {
    id: "plane",
    title: "Rotating plane (3D)",
    code: `import math
import time

# A tilted plane through the middle of the tree, turning around it.
positions = getLEDPositions()
top = max(z for x, y, z in positions)
middle = top / 2
end = time.time() + 40

while time.time() < end:
    angle = time.time() * 1.2  # radians per second
    # the plane's normal: tilted 45 degrees, pointing in a turning direction
    nx = math.cos(angle) * 0.7
    ny = math.sin(angle) * 0.7
    nz = 0.7
    states = []
    for x, y, z in positions:
        distance = nx * x + ny * y + nz * (z - middle) / middle
        if abs(distance) < 0.15:
            states.append(CYAN)
        elif distance > 0:
            states.append([0, 0, 80, 20])
        else:
            states.append([80, 0, 60, 20])
    setLEDs(states)
`,
  },
  {
    id: "spiral",
    title: "Climbing spiral (3D)",
    code: `import math
import time

positions = getLEDPositions()
top = max(z for x, y, z in positions)
end = time.time() + 40

while time.time() < end:
    t = time.time()
    states = []
    for x, y, z in positions:
        angle = math.atan2(y, x)  # where around the trunk, -pi..pi
        # the spiral turns twice from bottom to top and climbs with time
        phase = angle - (z / top) * 4 * math.pi + t * 2
        if math.cos(phase) > 0.6:
            states.append(hsv(z / top * 300))
        else:
            states.append(OFF)
    setLEDs(states)
`,
  },
  {
    id: "breathing",
    title: "Slow breathing glow",
    code: `import math
import time

n = getLEDCount()
end = time.time() + 40

while time.time() < end:
    t = time.time()
    # one breath every 4 seconds: brightness goes 5..100 and back
    level = int(5 + 95 * (1 - math.cos(t * 2 * math.pi / 4)) / 2)
    setLEDs([[255, 60, 180, level]] * n)
    time.sleep(0.03)
`,
  },
  {
    id: "sparkles",
    title: "Random sparkles",
    code: `import random
import time

n = getLEDCount()
end = time.time() + 40

while time.time() < end:
    states = [[0, 20, 10, 20]] * n  # a dim green background
    # a few random LEDs sparkle in random colours this frame
    for _ in range(max(1, n // 30)):
        states[random.randrange(n)] = hsv(random.uniform(0, 360), 0.3)
    setLEDs(states)
    time.sleep(0.08)
`,
  },
  {
    id: "balls",
    title: "Bouncing balls (a class)",
    code: `import random
import time


class Ball:
    """A dot of colour that runs along the strip and bounces at both ends."""

    def __init__(self, n):
        self.n = n
        self.position = random.uniform(0, n - 1)
        self.speed = random.uniform(8, 25) * random.choice([-1, 1])  # LEDs per second
        self.colour = hsv(random.uniform(0, 360))

    def move(self, seconds):
        self.position += self.speed * seconds
        if self.position < 0 or self.position > self.n - 1:
            self.speed = -self.speed  # bounce
            self.position = min(max(self.position, 0), self.n - 1)

    def draw(self, states):
        states[int(self.position)] = self.colour


n = getLEDCount()
balls = [Ball(n) for _ in range(5)]
last = time.time()
end = last + 40

while time.time() < end:
    now = time.time()
    states = [OFF] * n
    for ball in balls:
        ball.move(now - last)
        ball.draw(states)
    last = now
    setLEDs(states)
    time.sleep(0.02)
`,
  },
  {
    id: "clock",
    title: "Clock: the seconds climb the tree",
    code: `import time

# The tree as a clock: the strip fills up once a minute,
# and the colour tells the hour.
n = getLEDCount()
end = time.time() + 40

while time.time() < end:
    now = time.localtime()
    seconds = now.tm_sec + (time.time() % 1)  # smooth, not one jump a second
    lit = int(n * seconds / 60)
    colour = hsv(now.tm_hour * 15)  # 24 hours around the colour wheel
    states = [colour] * lit + [[20, 20, 20, 10]] * (n - lit)
    setLEDs(states)
    time.sleep(0.05)
`,
  },
];

