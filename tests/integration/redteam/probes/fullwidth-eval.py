# Tries: fullwidth letters are normalised (NFKC) to "eval" by Python; hope a checker
#   comparing raw text misses it, then eval an import.
# Check layer: rejected ("eval", found after normalisation).
# Sandbox layer: the harness's builtins have no eval / its import refuses os -> failed.
ｅｖａｌ("__import__('os').system('id')")
