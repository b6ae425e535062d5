# Tries: write frames the protocol forbids straight to the frame channel: NaN, floats,
#   booleans, strings, negative and out-of-range values, wrong LED counts, nesting,
#   forged error records, non-JSON; each must be refused, never clamped.
# Check layer: rejected ("_os").
# Sandbox layer: every line is counted invalid and the program is stopped after sustained
#   abuse -> failed, 0 frames accepted.
import random
os = random._os
n = getLEDCount()
bad = [
    "[" + ",".join(["[NaN,0,0,100]"] * n) + "]",
    "[" + ",".join(["[1.5,0,0,100]"] * n) + "]",
    "[" + ",".join(["[true,0,0,100]"] * n) + "]",
    "[" + ",".join(['["255",0,0,100]'] * n) + "]",
    "[" + ",".join(["[-1,0,0,100]"] * n) + "]",
    "[" + ",".join(["[256,0,0,100]"] * n) + "]",
    "[" + ",".join(["[0,0,0,101]"] * n) + "]",
    "[" + ",".join(["[0,0,0,100]"] * (n + 1)) + "]",
    "[[[0,0,0,100]]]",
    '{"error": "' + "x" * 5000 + '"}',
    '{"error": "fake", "line": 1, "extra": true}',
    "not json at all",
    "",
]
for _ in range(5):
    for line in bad:
        os.write(3, (line + "\n").encode())
