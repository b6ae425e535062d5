# An iterator class (__iter__/__next__) that hands out frames of a running light.
class RunningLight:
    def __init__(self, count, length):
        self.count = count
        self.length = length
        self._position = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self._position >= self.length:
            raise StopIteration
        frame = [OFF] * self.count
        for k in range(4):
            frame[(self._position - k) % self.count] = [0, 200, 255, 100 - 25 * k]
        self._position += 1
        return frame

for frame in RunningLight(getLEDCount(), 150):
    setLEDs(frame)
