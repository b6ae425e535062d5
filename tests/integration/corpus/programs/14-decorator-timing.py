# A decorator that counts how often an effect ran, and one with an argument (closures, *args/**kwargs).
calls = {}

def counted(effect):
    def wrapper(*args, **kwargs):
        calls[effect.__name__] = calls.get(effect.__name__, 0) + 1
        return effect(*args, **kwargs)
    wrapper.__name__ = effect.__name__
    wrapper.__doc__ = effect.__doc__
    return wrapper

def dimmed(factor):
    def decorate(effect):
        def wrapper(*args, **kwargs):
            return [[r, g, b, int(level * factor)] for r, g, b, level in effect(*args, **kwargs)]
        return wrapper
    return decorate

@counted
@dimmed(0.5)
def gradient(count, step):
    """Blue to purple, scrolling."""
    return [rgb(100 + (i + step) % count * 155 // count, 0, 255) for i in range(count)]

count = getLEDCount()
for step in range(120):
    setLEDs(gradient(count, step))
print(calls)
