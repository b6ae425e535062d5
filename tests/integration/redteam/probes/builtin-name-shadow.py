# Tries: the check lets a program use a hidden builtin's name for its own variable
#   (`input = 3`) since issue 9, so bind eval and getattr in a function that never runs,
#   then call the real builtins at module level, hoping the check takes them for the
#   program's own and the runner still has them.
# Check layer: passes (eval and getattr are bound in the program).
# Both layers: the harness hides eval and getattr (HIDDEN_BUILTINS), so the first call is a
#   NameError -> failed.
def never_called():
    eval = None
    getattr = None
    return eval, getattr

os = eval("__import__('os')")
print("ESCAPED" + ":", os, getattr(setLEDs, "__glob" + "als__"))
