# Tries: catch an exception and climb its traceback (tb_frame, f_back, f_globals) into the
#   harness's globals, looking for its os module, then read the secret.
# Check layer: rejected (tb_frame and f_ attributes).
# Sandbox layer: the secret is not in the jail -> failed.
def frames():
    try:
        1 / 0
    except ZeroDivisionError as error:
        return error.with_traceback(error.__traceback__).__traceback__.tb_frame

frame = frames()
found = None
while frame is not None:
    for value in list(frame.f_globals.values()) + list(frame.f_builtins.values()):
        if getattr(value, "__name__", "") == "os":
            found = value
    frame = frame.f_back
if found is None:
    found = frames().f_builtins["__import__"]("os")
fd = found.open("@@SECRET_PATH@@", found.O_RDONLY)
print("ESCAPED" + ":", found.read(fd, 200))
