# Tries: overwrite the Python runtime (random.py) so later runs execute our code, and
#   create files under /usr and /.
# Check layer: rejected ("_os").
# Sandbox layer: everything but /tmp is read-only and stage 2 refuses opens for writing
#   -> failed.
import random
os = random._os
for path in [random.__file__, "/usr/lib/python3.11/pwned.py", "/pwned"]:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, b"print('pwned')\n")
        print("ESCAPED" + ":", "wrote", path)
    except OSError as error:
        print("blocked", path, error)
raise RuntimeError("every attempt was refused")
