# Tries: Trojan Source: a right-to-left override makes the comment look like it closes
#   the condition, while Python sees code the reader does not.
# Check layer: rejected (the bidi control U+202E, naming its line).
# Sandbox layer: plain Python -> completed, nothing reached.
access_level = 'user'
if access_level != 'none‮ ⁦# Check if admin⁩ ⁦':
    print('bidi probe ran')
