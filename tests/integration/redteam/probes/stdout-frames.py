# Tries: print valid frame lines on stdout, hoping the runner parses output as frames
#   (which would skip setLEDs's checks and pacing).
# Check layer: passes (print is allowed).
# Both layers: stdout is never parsed as frames -> completed, 0 frames.
line = "[" + ",".join(["[255,0,0,100]"] * getLEDCount()) + "]"
for _ in range(100):
    print(line)
