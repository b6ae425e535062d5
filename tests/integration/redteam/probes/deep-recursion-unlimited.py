# Tries: raise Python's recursion limit through the leaked sys (random._os.sys) and recurse
#   until the C stack overflows, crashing the interpreter.
# Check layer: rejected ("_os").
# Sandbox layer: the crash (SIGSEGV) ends only the jailed process -> failed.
import random
random._os.sys.setrecursionlimit(10 ** 9)
def down(n):
    return down(n + 1) + 1

down(0)
