# Tries: single C calls from the allowed modules that run for minutes: math.factorial of
#   ten million, then math.comb of huge numbers.
# Check layer: passes (math is allowed; the time limit is the answer).
# Both layers: SIGKILL from outside at the time limit -> timeout.
import math
print(math.factorial(10 ** 7) % 7)
print(math.comb(10 ** 7, 5 * 10 ** 6) % 7)
print("ESCAPED" + ":", "finished the math bomb")
