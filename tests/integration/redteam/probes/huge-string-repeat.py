# Tries: "a" * 2 ** 40 and a huge range materialised as a list, allocations made in C.
# Check layer: passes.
# Both layers: MemoryError under RLIMIT_AS -> failed.
text = "a" * (2 ** 40)
print(len(text))
