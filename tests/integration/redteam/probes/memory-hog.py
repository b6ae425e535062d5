# Tries: allocate far more memory than a Pi has: one 4 GiB bytearray, then a list that
#   grows until something gives.
# Check layer: passes (plain Python); the sandbox must contain it.
# Both layers: RLIMIT_AS (256 MiB) turns it into MemoryError -> failed, the host unharmed.
hog = []
try:
    hog.append(bytearray(4 * 1024 ** 3))
except MemoryError:
    print("4 GiB refused")
while True:
    hog.append(bytearray(16 * 1024 ** 2))
