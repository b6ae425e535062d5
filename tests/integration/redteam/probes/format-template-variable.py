# Tries: str.format on a template held in a variable is allowed since issue 9, so hide the
#   attribute walk in such a template: one assignment is harmless ("{}"), a later one in a
#   branch walks "{0.__globals__[_os]}" to the os module.
# Check layer: rejected (every value the variable is given is checked as a format string),
#   at the string that walks.
# Sandbox layer: the walk works (it prints "<module 'os'"), but a string of the harness's
#   globals reads no file and reaches no canary -> completed; the secret must not appear.
template = "{}"
if getLEDCount() > 0:
    template = "{0.__globals__[_os]} {0.__globals__[_os].environ}"
print("format reached:", template.format(setLEDs)[:600])
