# Tries: review finding 2. `case str(format=fmt)` fetches the bound str.format of the
#   subject without writing ".format" after a string, so the check's look at the format
#   string is skipped and "{0.__globals__[_os]}" walks to os inside the string; the same
#   with format_map.
# Check layer: rejected ("format=" in a case pattern).
# Sandbox layer: the walk works (it prints "<module 'os'"), but a string of the harness's
#   globals reads no file and reaches no canary -> completed; the secret must not appear.
match "{0.__globals__[_os]} {0.__globals__[_os].environ}":
    case str(format=fmt):
        print("format reached:", fmt(setLEDs)[:600])
match "{api.__globals__[__builtins__]}":
    case str(format_map=fmt):
        print("format_map reached:", fmt({"api": setLEDs})[:300])
