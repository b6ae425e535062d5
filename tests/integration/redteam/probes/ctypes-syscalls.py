# Tries: import ctypes through the real import machinery and call raw syscalls the os
#   module does not offer: ptrace(ATTACH, 1), unshare(CLONE_NEWUSER), mount, setns,
#   bpf, perf_event_open, keyctl, io_uring_setup, personality, clock_settime.
# Check layer: rejected ("__import__", "_os").
# Sandbox layer: ctypes needs executable memory (refused by stage 2) or dies on the first
#   killing syscall -> failed.
import random
os = random._os
builtins = os.sys.modules["builtins"]
ctypes = builtins.__import__("ctypes")
libc = ctypes.CDLL(None, use_errno=True)
for name, args in [("ptrace", (16, 1, 0, 0)), ("unshare", (0x10000000,)), ("mount", (b"none", b"/tmp", b"tmpfs", 0, 0)),
                   ("syscall", (321, 0, 0, 0)), ("syscall", (425, 1, 0)), ("personality", (0xffffffff,))]:
    result = getattr(libc, name)(*args)
    print(name, args, "->", result, ctypes.get_errno())
    if result >= 0:
        print("ESCAPED" + ":", name, "succeeded")
