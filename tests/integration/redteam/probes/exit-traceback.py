# Tries: a context manager's __exit__ receives the traceback; climb from it into the
#   harness's frames and globals.
# Check layer: rejected (tb_frame and f_ attributes; defining __exit__ is allowed since
#   issue 9, the attributes it would climb are not).
# Sandbox layer: nothing outside reached -> failed (the secret is absent) or completed.
class Catch:
    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        frame = tb.tb_frame
        while frame.f_back is not None:
            frame = frame.f_back
        os = frame.f_builtins["__import__"]("os")
        print("ESCAPED" + ":", os.open("@@SECRET_PATH@@", 0))
        return True

with Catch():
    1 / 0
