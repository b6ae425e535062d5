# Tries: get `type` itself without naming it in a forbidden way (type(type(1)) is type)
#   and build a class from a dict whose keys are strings, so hooks the checker refuses to
#   let a class statement define (__getattr__, __init_subclass__, __exit__, __del__) exist
#   anyway, then use them to reach frames and the harness's globals.
# Check layer: rejected (type(type(x)) is type under another name). It used to pass (F5 in
#   FINDINGS.md); type-via-list.py keeps the spelling no static rule can follow.
# Sandbox layer: every hook's body is plain Python, so the hooks reach nothing new; the
#   exit hook's traceback is not opened -> completed (failed if a runtime guard on type()
#   refuses the class of a class).
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
