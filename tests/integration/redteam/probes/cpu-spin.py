# Tries: spin the CPU forever without calling setLEDs.
# Check layer: passes (an endless loop is allowed; the time limit is the answer).
# Both layers: stopped from outside at the time limit -> timeout.
n = 0
while True:
    n += 1
