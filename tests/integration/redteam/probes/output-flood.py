# Tries: flood stdout to fill the server's memory or disk.
# Check layer: passes (print is allowed); the runner must contain it.
# Both layers: only a bounded tail is kept and the program is stopped past the hard cap
#   -> failed.
line = "A" * 4096
while True:
    print(line)
