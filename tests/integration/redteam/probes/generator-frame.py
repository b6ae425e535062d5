# Tries: walk from a generator's frame (gi_frame) up f_back to the harness's frame and take
#   the real builtins (f_builtins) to import os, then read the secret.
# Check layer: rejected ("gi_frame" / "f_back" look inside running code).
# Sandbox layer: even with os, the secret is not in the jail -> failed.
def gen():
    yield 1

g = gen()
frame = g.gi_frame
while frame.f_back is not None:
    frame = frame.f_back
builtins = frame.f_builtins
os = builtins["__import__"]("os")
fd = os.open("@@SECRET_PATH@@", os.O_RDONLY)
print("ESCAPED" + ":", os.read(fd, 200))
