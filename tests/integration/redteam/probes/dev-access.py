# Tries: open device nodes that drive the hardware or the console: /dev/mem, /dev/gpiomem,
#   /dev/spidev0.0, /dev/vcio, /dev/tty, /dev/console, /dev/kmsg.
# Check layer: rejected ("_os").
# Sandbox layer: no device nodes in the jail -> failed.
import random
os = random._os
opened = []
for path in ["/dev/mem", "/dev/gpiomem", "/dev/spidev0.0", "/dev/vcio", "/dev/tty", "/dev/console", "/dev/kmsg"]:
    for mode in (os.O_RDONLY, os.O_RDWR):
        try:
            opened.append((path, os.open(path, mode)))
        except OSError as error:
            print("blocked", path, mode, error)
if opened:
    print("ESCAPED" + ":", opened)
raise RuntimeError("every attempt was refused")
