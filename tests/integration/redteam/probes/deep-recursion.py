# Tries: recurse without end to overflow the C stack.
# Check layer: passes (recursion is ordinary Python).
# Both layers: RecursionError at Python's limit -> failed.
def down(n):
    return down(n + 1) + 1

down(0)
