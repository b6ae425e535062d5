# Tries: make the template a function parameter (and a loop variable), so the variable
#   holding it is never given a string in quotes where the call is, while one in quotes
#   elsewhere makes the name look like a template.
# Check layer: rejected (".format" on a variable that is also given other values).
# Sandbox layer: the walk works, nothing outside is reached -> completed.
template = "{}"

def show(template):
    return template.format(setLEDs)

print("format reached:", show("{0.__globals__[_os]}")[:300])
for template in ["{0.__globals__[__builtins__]}"]:
    print("loop reached:", template.format(setLEDs)[:300])
