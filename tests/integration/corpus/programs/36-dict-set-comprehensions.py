# Dictionary and set comprehensions, sorted() with a key and enumerate(), to build a palette show.
import random

names = ["RED", "GREEN", "BLUE", "GOLD", "PINK", "CYAN"]
palette = {name: colour for name, colour in zip(names, [RED, GREEN, BLUE, GOLD, PINK, CYAN])}
brightest = sorted(palette, key=lambda name: sum(palette[name][:3]), reverse=True)
chosen = {random.choice(brightest) for _ in range(10)}
print("chosen:", sorted(chosen))
count = getLEDCount()
for step in range(120):
    frame = [palette[brightest[(i + step // 10) % len(brightest)]] for i, _ in enumerate(range(count))]
    setLEDs(frame)
