# Own attributes that happen to start like Python's internals: f_rate, co_owner, tb_count, gi_colour.
class Show:
    def __init__(self):
        self.f_rate = 30
        self.co_owner = "class 4b"
        self.tb_count = 0
        self.gi_colour = GREEN

    def frames(self, seconds):
        return int(self.f_rate * seconds)

show = Show()
count = getLEDCount()
for i in range(show.frames(3)):
    show.tb_count += 1
    setLEDs([show.gi_colour if (j + i) % 5 else GOLD for j in range(count)])
print(show.co_owner, show.tb_count)
