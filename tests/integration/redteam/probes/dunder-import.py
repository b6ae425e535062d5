# Tries: __import__("o" + "s") so the module name is not visible as an import statement.
# Check layer: rejected ("__import__").
# Sandbox layer: the harness's import allow-list refuses it -> failed.
os = __import__("o" + "s")
print("ESCAPED" + ":", os.listdir("/"))
