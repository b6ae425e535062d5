# Tries: hide the attribute walk in a nested format spec ("{0:{1.__class__}}") and build
#   the format string at run time so no literal shows it.
# Check layer: rejected (".format" on a string built at run time).
# Sandbox layer: only in-sandbox data can leak -> failed (a bad format spec) or completed.
fmt = "{0:{1" + ".__class__.__name__}}"
print(fmt.format("x", 1))
