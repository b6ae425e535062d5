# Tries: 10 ** (10 ** 8): one C-level call that runs for minutes and never returns to
#   Python, so an in-process timer could not stop it.
# Check layer: passes (an expression is allowed); the time limit is the answer.
# Both layers: SIGKILL from outside at the time limit -> timeout.
x = 10 ** (10 ** 8)
print("ESCAPED" + ":", "finished the huge power")
