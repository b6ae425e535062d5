# -*- coding: utf-7 -*-
# Tries: a UTF-7 coding cookie: read as UTF-8 the next line is a comment, read as UTF-7
#   (what a byte-level Python parser would do) +AAo- starts a new line of code.
# Check layer: rejected (line 1: only UTF-8).
# Sandbox layer: the runner hands Python text, so the cookie is ignored and the hidden line
#   stays a comment -> completed, nothing reached.
# harmless +AAo-print(open('@@SECRET_PATH@@').read())
print('utf-7 probe ran as UTF-8')
