# Tries: an exception whose __str__ and __repr__ misbehave (a 4 MiB message, then raising
#   inside the hook) so the harness's error report, which runs after the program and
#   formats its exception, floods the runner, hangs or crashes into harness internals.
# Check layer: passes (defining __str__/__repr__ in a class is allowed).
# Both layers: the report is the visitor's own, output caps bound it -> failed, with a
#   bounded error.
class Loud(Exception):
    def __str__(self):
        return "L" * (4 * 1024 * 1024)

class Broken(Exception):
    def __str__(self):
        raise Loud()

    def __repr__(self):
        raise Loud()

try:
    raise Broken()
finally:
    raise Loud()
