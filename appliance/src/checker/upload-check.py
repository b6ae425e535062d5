"""Upload-time check of one visitor program, without running it.

Reads the program's UTF-8 bytes on stdin and prints one JSON line on stdout:
  {"ok": true}  or  {"ok": false, "message": ..., "line": L, "column": C}
(line and column 1-based, column counted in characters). check.ts has already
applied the text rules (size, encoding, invisible characters); this script
owns the syntax and the language subset. Usage (check-child.ts builds it):
  python3 -I -S -c <this file's text> MAX_INPUT_BYTES ADDRESS_SPACE_BYTES CPU_SECONDS

The subset is a teaching fence and an early, friendly error. It is NOT the
security boundary: the sandbox (bubblewrap + seccomp + rlimits) is built to
hold even when a program gets past every rule here. Each rule below says which
known escape it closes, so nobody loosens one without knowing what it guards.

The input is hostile data. Limits are set before it is read, a seccomp filter
allowing little more than memory and writing the verdict is loaded before it is
parsed, the tree is walked iteratively (deep nesting must not crash us), and
any unexpected error ends as "could not check", never as a pass.
"""
import sys

# -S leaves out site-packages; libseccomp's binding is a Debian package there.
sys.path.append("/usr/lib/python3/dist-packages")

# The C modules behind ast, json and string: importing those pulls in
# functools, enum, re and more, which would double the time of every check.
import _ast as ast
import _string
import resource

import seccomp

ALLOWED_MODULES = ("math", "random", "time")

# Builtins a program may not name at all, each with what to do instead.
FORBIDDEN_NAMES = {
    # Run text as code, so the text would skip these checks.
    "exec": "write the code directly instead of building it as text",
    "eval": "write the expression directly, or use int()/float() to turn text into a number",
    "compile": "write the code directly instead of building it as text",
    # Files: the tree has none for you, and reading host files is an escape attempt.
    "open": "programs on the tree cannot use files; keep your data in lists in the program",
    # Namespaces as dictionaries: they expose hidden runner internals and let
    # names be looked up from text, invisible to this check.
    "globals": "use your own variables, or a dict you create",
    "locals": "use your own variables, or a dict you create",
    "vars": "use your own variables, or a dict you create",
    # Attribute access by a computed name walks to __class__, __globals__ ... unseen.
    "getattr": "write obj.name directly",
    "setattr": "write obj.name = value directly",
    "delattr": "write del obj.name directly",
    "hasattr": "use try/except AttributeError, or keep your own flag",
    # Lists hidden attributes; the runner docs list everything you can use.
    "dir": "look up the functions in the runner docs",
    # Interactive: nobody is at a keyboard on the tree, and help() reads files.
    "breakpoint": "use print() to see what your program is doing",
    "input": "there is no keyboard on the tree; put the values in your program",
    "help": "read the runner docs instead",
    "license": "read the runner docs instead",
    "credits": "read the runner docs instead",
    "copyright": "read the runner docs instead",
    # Raw views of memory are not needed to light LEDs.
    "memoryview": "use a list or bytes instead",
    # The runner has no exit()/quit() (they come from the interactive prompt).
    "exit": "to stop early, return from a function or raise SystemExit",
    "quit": "to stop early, return from a function or raise SystemExit",
}

# `type(x)` tells a student what x is; `type(name, bases, dict)` builds classes
# from text, dunder methods included, so only the one-argument call is allowed.
# Known gap: type(type(1)) IS type, under another name, and nothing static can
# follow that. A class built that way can have hooks the class rule refuses
# (probe type-of-type.py), but every hook is still a checked function or plain
# Python, so it reaches nothing new; the sandbox does not rely on this rule.
ONE_ARGUMENT_ONLY = "type"

# Attribute names that do not start with "_" but look inside running code:
# frames (f_globals, f_builtins reach the real builtins and the runner),
# tracebacks (tb_frame), code objects (co_code, co_consts), generators,
# coroutines and async generators (gi_frame, cr_frame, ag_frame).
INTROSPECTION_PREFIXES = ("f_", "tb_", "co_", "gi_", "cr_", "ag_")
INTROSPECTION_NAMES = {
    "mro": "the class hierarchy walk (type(x).mro()) is the usual first step of an escape",
    "cell_contents": "closure cells hold other functions' variables",
}

# Dunder methods a class may DEFINE (never access) so students can write
# ordinary classes. Left out on purpose: __getattr__/__getattribute__ and
# __set_name__/__init_subclass__/__class_getitem__ (hooks into attribute and
# class machinery), __enter__/__exit__ (__exit__ receives a traceback),
# __del__ (runs at unpredictable times), __format__, __index__, __int__ and
# friends (called by the runner while it reads your LED values), __reduce__.
ALLOWED_DUNDER_METHODS = frozenset(
    "__init__ __repr__ __str__ __len__ __iter__ __next__ __getitem__ __setitem__ __contains__ "
    "__eq__ __ne__ __lt__ __le__ __gt__ __ge__ __hash__ __bool__ __call__ "
    "__add__ __sub__ __mul__ __truediv__ __floordiv__ __mod__ __pow__ __neg__ __pos__ __abs__ "
    "__radd__ __rsub__ __rmul__ __rtruediv__".split()
)

# str.format and str.format_map follow "{0.attr}" fields with getattr, inside
# the string, where no syntax check can see it ("{0.__class__}".format(x)).
FORMAT_METHODS = ("format", "format_map")


class Rejection(Exception):
    def __init__(self, message, node, at_attribute=None):
        super().__init__(message)
        self.message = message
        self.line = getattr(node, "lineno", 1)
        self.byte_column = getattr(node, "col_offset", 0)
        if at_attribute is not None and getattr(node, "end_col_offset", None) is not None:
            # Point at ".name" itself, not at the start of the expression before it.
            start = node.end_col_offset - len(at_attribute.encode("utf-8"))
            if start >= 0:
                self.line, self.byte_column = node.end_lineno, start


def underscore_advice(name):
    return f'rename it to "{name.lstrip("_") or "x"}"'


def check_plain_name(name, node, what):
    """A name the program binds or uses: variables, parameters, functions, imports."""
    if name.startswith("_") and name != "_":
        raise Rejection(
            f'{what} "{name}" starts with "_": names starting with "_" reach Python\'s hidden '
            f"internals, so they are not allowed on the tree; {underscore_advice(name)}",
            node,
        )
    if name in FORBIDDEN_NAMES:
        raise Rejection(f'"{name}" is not allowed on the tree: {FORBIDDEN_NAMES[name]}', node)


def check_attribute_name(name, node):
    at = name if isinstance(node, ast.Attribute) else None
    if name.startswith("_"):
        raise Rejection(
            f'".{name}" starts with "_": attributes starting with "_" reach Python\'s hidden '
            f"internals, so they are not allowed on the tree; use the functions in the runner docs, "
            f"and name your own attributes without a leading underscore",
            node,
            at,
        )
    if name in INTROSPECTION_NAMES:
        raise Rejection(f'".{name}" is not allowed on the tree: {INTROSPECTION_NAMES[name]}', node, at)
    if name.startswith(INTROSPECTION_PREFIXES):
        raise Rejection(
            f'".{name}" is not allowed on the tree: attributes starting with '
            f'"{name.split("_")[0]}_" look inside running code (frames, tracebacks, generators); '
            f"if it is your own attribute, give it another name",
            node,
            at,
        )


def check_format_string(text, node):
    """Reject format fields that follow attributes ("{0.x}"), nested specs included."""
    pending = [text]
    while pending:
        try:
            fields = list(_string.formatter_parser(pending.pop()))
        except ValueError as error:
            raise Rejection(f"this format string is malformed ({error}); check its {{ }} pairs", node)
        for _literal, field, spec, _conversion in fields:
            if field is not None and "." in field:
                raise Rejection(
                    f'the format field "{{{field}}}" looks up an attribute inside the string, which is '
                    f'not allowed on the tree; use an f-string such as f"{{x.name}}" instead',
                    node,
                )
            if spec:
                pending.append(spec)


def check_format_receiver(node):
    receiver = node.value
    if isinstance(receiver, ast.Constant) and isinstance(receiver.value, str):
        check_format_string(receiver.value, node)
        return
    raise Rejection(
        f'".{node.attr}" may only be used directly on a string written in quotes, like '
        f'"LED {{}}".format(i); an f-string such as f"LED {{i}}" is simpler',
        node,
    )


def check_import(node):
    for alias in node.names:
        if alias.name not in ALLOWED_MODULES:
            raise Rejection(
                f'"import {alias.name}" is not allowed: programs on the tree can import only math, '
                f"random and time (the LED functions are already there without an import); "
                f"remove this import",
                node,
            )
        if alias.asname is not None:
            check_plain_name(alias.asname, node, "the import name")


def check_import_from(node):
    module = node.module or ""
    if node.level != 0 or module not in ALLOWED_MODULES:
        shown = "." * node.level + module
        raise Rejection(
            f'"from {shown} import ..." is not allowed: programs on the tree can import only '
            f"math, random and time; remove this import",
            node,
        )
    for alias in node.names:
        if alias.name != "*":
            check_plain_name(alias.name, node, f"the name imported from {module}")
        if alias.asname is not None:
            check_plain_name(alias.asname, node, "the import name")


def check_class(node):
    if node.keywords:
        raise Rejection(
            f'"class {node.name}(... {node.keywords[0].arg or "**"}=...)" is not allowed: class '
            f"keywords such as metaclass= change how Python builds classes; use a plain class",
            node,
        )


def check_function_name(node, parent):
    name = node.name
    if name.startswith("__") and name.endswith("__") and len(name) > 4:
        if isinstance(parent, ast.ClassDef) and name in ALLOWED_DUNDER_METHODS:
            return
        raise Rejection(
            f'the method "{name}" is not allowed on the tree (allowed special methods: __init__, '
            f"__repr__, __str__, __len__, __iter__, __getitem__, comparisons and arithmetic, "
            f"defined directly inside a class); use an ordinary method name",
            node,
        )
    check_plain_name(name, node, "the function name")


def check_arguments(arguments):
    every = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
    every += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
    for arg in every:
        check_plain_name(arg.arg, arg, "the parameter")


def check_node(node, parent, allowed_type_calls):
    if isinstance(node, ast.Name):
        if node.id == ONE_ARGUMENT_ONLY and id(node) not in allowed_type_calls:
            raise Rejection(
                '"type" may only be called with one value, like type(x), to see what x is; '
                "building classes with type(name, bases, dict) is not allowed, write a class instead",
                node,
            )
        check_plain_name(node.id, node, "the name")
    elif isinstance(node, ast.Call):
        func = node.func
        if (
            isinstance(func, ast.Name)
            and func.id == ONE_ARGUMENT_ONLY
            and len(node.args) == 1
            and not node.keywords
            and not isinstance(node.args[0], ast.Starred)
        ):
            allowed_type_calls.add(id(func))
    elif isinstance(node, ast.Attribute):
        check_attribute_name(node.attr, node)
        if node.attr in FORMAT_METHODS:
            check_format_receiver(node)
    elif isinstance(node, ast.Import):
        check_import(node)
    elif isinstance(node, ast.ImportFrom):
        check_import_from(node)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        check_function_name(node, parent)
    elif isinstance(node, ast.ClassDef):
        check_class(node)
        check_plain_name(node.name, node, "the class name")
    elif isinstance(node, ast.arguments):
        check_arguments(node)
    elif isinstance(node, ast.keyword):
        if node.arg is not None:
            check_plain_name(node.arg, node, "the keyword argument")
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        for name in node.names:
            check_plain_name(name, node, "the name")
    elif isinstance(node, ast.ExceptHandler):
        if node.name is not None:
            check_plain_name(node.name, node, "the exception name")
    elif isinstance(node, ast.MatchClass):
        # case C(attr=pattern) reads C's attribute attr: the attribute rules apply.
        for attr in node.kwd_attrs:
            check_attribute_name(attr, node)
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)):
        if node.name is not None:
            check_plain_name(node.name, node, "the name")
    elif isinstance(node, ast.MatchMapping):
        if node.rest is not None:
            check_plain_name(node.rest, node, "the name")


def iter_child_nodes(node):
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item


def check_tree(tree):
    """Walks the tree without recursion and returns the first rejection in source order."""
    first = None
    allowed_type_calls = set()
    stack = [(tree, None)]
    while stack:
        node, parent = stack.pop()
        try:
            check_node(node, parent, allowed_type_calls)
        except Rejection as rejection:
            if first is None or (rejection.line, rejection.byte_column) < (first.line, first.byte_column):
                first = rejection
        children = list(iter_child_nodes(node))
        # Calls first so that type(x) is known before its Name is reached.
        stack.extend((child, node) for child in reversed(children))
    return first


def character_column(lines, line, byte_column):
    """AST columns count UTF-8 bytes from 0; people count characters from 1."""
    if 1 <= line <= len(lines):
        return len(lines[line - 1].encode("utf-8")[:byte_column].decode("utf-8", "replace")) + 1
    return 1


def verdict_for(text):
    try:
        tree = compile(text, "program.py", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        kind = "indentation error" if isinstance(error, IndentationError) else "syntax error"
        detail = error.msg
        return {
            "ok": False,
            "message": f"{kind}: {detail} (look at this line and the one before it)",
            "line": max(1, error.lineno or 1),
            "column": max(1, error.offset or 1),
        }
    except (RecursionError, MemoryError):
        return {
            "ok": False,
            "message": "this program is too deeply nested (or too big) for Python to read: brackets or "
            "operators inside each other hundreds of times; split it into smaller steps with variables",
            "line": 1,
            "column": 1,
        }
    rejection = check_tree(tree)
    if rejection is None:
        return {"ok": True}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return {
        "ok": False,
        "message": rejection.message,
        "line": rejection.line,
        "column": character_column(lines, rejection.line, rejection.byte_column),
    }


def to_json(value):
    """Enough JSON for a verdict (bools, ints, strings), without importing json."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = []
        for character in value:
            if character in '"\\':
                escaped.append("\\" + character)
            elif ord(character) < 0x20 or 0xD800 <= ord(character) <= 0xDFFF:
                escaped.append("\\u%04x" % ord(character))
            else:
                escaped.append(character)
        return '"' + "".join(escaped) + '"'
    return "{" + ", ".join(to_json(key) + ": " + to_json(item) for key, item in value.items()) + "}"


def confine():
    """After the input is read: memory, printing the verdict and exiting are all it may do."""
    syscall_filter = seccomp.SyscallFilter(defaction=seccomp.ERRNO(1))
    for name in (
        "write", "brk", "mmap", "munmap", "mremap", "madvise", "mprotect", "futex",
        "rt_sigreturn", "rt_sigaction", "rt_sigprocmask", "getrandom", "clock_gettime",
        "fstat", "newfstatat", "lseek", "close", "exit", "exit_group",
    ):
        try:
            syscall_filter.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError):
            pass  # a name this architecture does not have (libseccomp resolves per arch)
    syscall_filter.load()


def main():
    max_input_bytes, address_space_bytes, cpu_seconds = (int(value) for value in sys.argv[1:4])
    resource.setrlimit(resource.RLIMIT_AS, (address_space_bytes, address_space_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    data = sys.stdin.buffer.read(max_input_bytes + 1)
    confine()
    if len(data) > max_input_bytes:
        verdict = {"ok": False, "message": "the program is too large to check", "line": 1, "column": 1}
    else:
        verdict = verdict_for(data.decode("utf-8", "strict"))
    sys.stdout.write(to_json(verdict) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    try:
        main()
    except BaseException as error:  # fail closed: any surprise is a rejection, never a pass
        sys.stdout.write(to_json({"ok": False, "internal": type(error).__name__}) + "\n")
        sys.stdout.flush()
        sys.exit(3)
