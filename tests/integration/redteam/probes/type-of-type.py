# Tries: get `type` itself without naming it in a forbidden way (type(type(1)) is type)
#   and build a class from a dict whose keys are strings, so hooks the checker refuses to
#   let a class statement define (__getattr__, __init_subclass__, __exit__, __del__) exist
#   anyway, then use them to reach frames and the harness's globals.
# Check layer: passes (a one-argument type() call and string keys look innocent); a known
#   gap of the language fence, documented in upload-check.py.
# Both layers: every hook's body is still checked code or plain Python, so the hooks reach
#   nothing new; the exit hook's traceback cannot be opened -> completed.
T = type(type(1))
hooks = {
    "__getattr__": lambda self, name: "hooked " + name,
    "__exit__": lambda self, kind, value, tb: print("exit hook got", kind, repr(tb)[:20]) or True,
    "__enter__": lambda self: self,
}
Hooked = T("Hooked", (), hooks)
h = Hooked()
print(h.anything)
with h:
    raise ValueError("swallowed by the hook")
print("type-of-type probe ran")
