# Custom exceptions, try/except/else/finally, and raising to stop an effect early.
class EffectFinished(Exception):
    def __init__(self, frames):
        super().__init__(f"finished after {frames} frames")
        self.frames = frames

def run(limit):
    count = getLEDCount()
    shown = 0
    try:
        while True:
            if shown >= limit:
                raise EffectFinished(shown)
            setLEDs([hsv(shown * 3)] * count)
            shown += 1
    except EffectFinished as finished:
        print(finished, finished.frames)
    else:
        print("never reached")
    finally:
        setLEDs([OFF] * count)

try:
    int("not a number")
except ValueError as error:
    print("caught:", error)
run(100)
