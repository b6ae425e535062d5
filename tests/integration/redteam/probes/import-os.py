# Tries: the plain way: import os and read the secret; os.system a shell.
# Check layer: rejected ("import os", line 6).
# Sandbox layer: the harness's import allow-list raises ImportError -> failed.
import math
import os
print("ESCAPED" + ":", os.system("cat @@SECRET_PATH@@"))
