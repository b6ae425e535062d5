# Tries: forge a code object whose constants table is empty but whose bytecode loads
#   constant 200 (an out-of-bounds read in the interpreter), hoping to crash CPython into
#   something exploitable; then read the secret with whatever the crash left.
# Check layer: rejected ("__code__", "co_consts").
# Sandbox layer: CPython may crash or return garbage; either way the process is inside the
#   jail, so nothing outside is reached -> failed (or completed).
def f():
    return 1

code = f.__code__
forged = code.replace(co_consts=())
f.__code__ = forged
print(f())
