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
import builtins
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
# type() of a class is `type` itself under another name (type(type(1)),
# type(int)), and with it hooks the class rule refuses (__instancecheck__,
# __match_args__, __prepare__ ...). The direct spellings are refused below
# (type_of_class_reason); spellings through variables, lists or functions are
# not followable statically. What made that gap an escape (a class pattern
# reading attributes named in __match_args__, review finding 1) is closed on its
# own by the class-pattern rules, and the sandbox does not rely on either.
ONE_ARGUMENT_ONLY = "type"
# Names of the builtin classes, for type(int) and friends.
BUILTIN_CLASS_NAMES = frozenset(name for name, value in vars(builtins).items() if isinstance(value, type))

# `case C(p)` reads the attributes C.__match_args__ names: strings this check
# never sees, so with a class whose __instancecheck__ says yes to anything it
# reads __globals__ off setLEDs or _os off random (review finding 1). Only
# these builtin classes match a single positional pattern against the subject
# itself, reading nothing, so only they may take positional patterns, and only
# under their own name: not rebound anywhere in the program, not after a star
# import (which can bind any name a module was given), and not directly in a
# class body (a metaclass's __prepare__ decides what names mean there).
SELF_MATCHING_CLASSES = frozenset(
    "bool bytearray bytes dict float frozenset int list set str tuple".split()
)

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
# So they are allowed only right after a string written in quotes, and never
# fetched by a keyword pattern (case str(format=f), review finding 2).
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


class ProgramFacts:
    """What the rules that need the whole program collect during the walk."""

    def __init__(self):
        self.allowed_type_calls = set()  # id() of `type` Names that are the func of a one-argument call
        self.one_argument_type_calls = []  # those calls
        self.bindings = {}  # name -> first node that binds it, anywhere in the program
        self.star_import = None  # the first `from m import *` (it binds names nobody can list)
        self.class_names = set()  # names bound by class statements
        self.type_results = set()  # names assigned straight from a type(...) call
        self.positional_patterns = []  # (MatchClass, whether it sits directly in a class body)

    def bind(self, name, node):
        self.bindings.setdefault(name, node)


def is_type_call(node):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == ONE_ARGUMENT_ONLY


def check_match_class(node, facts, in_class_body):
    # case C(attr=pattern) reads C's attribute attr: the attribute rules apply,
    # and format/format_map would hand out str.format without its written
    # string (case str(format=f), review finding 2).
    for attr in node.kwd_attrs:
        check_attribute_name(attr, node)
        if attr in FORMAT_METHODS:
            raise Rejection(
                f'"{attr}=" in a case pattern fetches the string method .{attr} without the string '
                f'written in quotes before it, which is not allowed on the tree; call it directly, '
                f'like "LED {{}}".format(i), or use an f-string',
                node,
            )
    if not node.patterns:
        return
    cls = node.cls
    if not (isinstance(cls, ast.Name) and cls.id in SELF_MATCHING_CLASSES):
        raise Rejection(
            "a class pattern with values in brackets, like case Point(x, y), reads attributes the "
            "class names in a hidden list, which is not allowed on the tree; name the attributes, "
            "like case Point(x=x, y=y), or use one of Python's own types, like case int(n)",
            node,
        )
    if len(node.patterns) > 1:
        raise Rejection(
            f"case {cls.id}(...) takes one pattern in brackets (the whole value), like case {cls.id}(x)",
            node.patterns[1],
        )
    facts.positional_patterns.append((node, in_class_body))


def collect_bindings(node, facts):
    """Every way Python 3.11 binds a name, so a rebound builtin class is known."""
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        facts.bind(node.id, node)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        facts.bind(node.name, node)
        if isinstance(node, ast.ClassDef):
            facts.class_names.add(node.name)
    elif isinstance(node, ast.arg):
        facts.bind(node.arg, node)
    elif isinstance(node, ast.Import):
        for alias in node.names:
            facts.bind(alias.asname or alias.name.split(".")[0], node)
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            if alias.name == "*":
                facts.star_import = facts.star_import or node
            else:
                facts.bind(alias.asname or alias.name, node)
    elif isinstance(node, ast.ExceptHandler) and node.name is not None:
        facts.bind(node.name, node)
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name is not None:
        facts.bind(node.name, node)
    elif isinstance(node, ast.MatchMapping) and node.rest is not None:
        facts.bind(node.rest, node)
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and is_type_call(node.value):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        facts.type_results.update(target.id for target in targets if isinstance(target, ast.Name))


def check_node(node, parent, facts, in_class_body):
    collect_bindings(node, facts)
    if isinstance(node, ast.Name):
        if node.id == ONE_ARGUMENT_ONLY and id(node) not in facts.allowed_type_calls:
            raise Rejection(
                '"type" may only be called with one value, like type(x), to see what x is; '
                "building classes with type(name, bases, dict) is not allowed, write a class instead",
                node,
            )
        check_plain_name(node.id, node, "the name")
    elif isinstance(node, ast.Call):
        if is_type_call(node) and len(node.args) == 1 and not node.keywords and not isinstance(node.args[0], ast.Starred):
            facts.allowed_type_calls.add(id(node.func))
            facts.one_argument_type_calls.append(node)
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
        check_match_class(node, facts, in_class_body)
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)):
        if node.name is not None:
            check_plain_name(node.name, node, "the name")
    elif isinstance(node, ast.MatchMapping):
        if node.rest is not None:
            check_plain_name(node.rest, node, "the name")


def type_of_class_reason(argument, facts):
    """Why type(argument) would be `type` itself, or None when it looks like a value."""
    if is_type_call(argument):
        return "type(type(x)) is type itself"
    if isinstance(argument, ast.Name):
        if argument.id in facts.class_names or argument.id in BUILTIN_CLASS_NAMES:
            return f'"{argument.id}" is a class, and the type of a class is type itself'
        if argument.id in facts.type_results:
            return f'"{argument.id}" holds the result of type(...), a class, and the type of a class is type itself'
    return None


def whole_program_rejections(facts):
    """The rules that need every binding in the program, after the walk."""
    for call in facts.one_argument_type_calls:
        reason = type_of_class_reason(call.args[0], facts)
        if reason is not None:
            yield Rejection(
                f"{reason} under another name, which builds classes with hidden hooks; it is not "
                f"allowed on the tree; use type(x) on a value, like type(5), to see what it is",
                call,
            )
    for pattern, in_class_body in facts.positional_patterns:
        name = pattern.cls.id
        if in_class_body:
            yield Rejection(
                f"case {name}(...) directly inside a class body is not allowed on the tree: there "
                f'"{name}" can mean something other than Python\'s {name}; move the match into a '
                f"method or function",
                pattern,
            )
        elif name in facts.bindings:
            where = getattr(facts.bindings[name], "lineno", 1)
            yield Rejection(
                f'case {name}(...) needs Python\'s own {name}, but this program also uses the name '
                f'"{name}" for something else (line {where}); rename that, or name the attributes '
                f"in the pattern",
                pattern,
            )
        elif facts.star_import is not None:
            yield Rejection(
                f"case {name}(...) needs Python's own {name}, but \"from "
                f"{facts.star_import.module} import *\" (line {facts.star_import.lineno}) can replace "
                f"that name; import the names you use one by one",
                pattern,
            )


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
    rejections = []
    facts = ProgramFacts()
    # (node, parent, whether node's statements run directly in a class body)
    stack = [(tree, None, False)]
    while stack:
        node, parent, in_class_body = stack.pop()
        try:
            check_node(node, parent, facts, in_class_body)
        except Rejection as rejection:
            rejections.append(rejection)
        if isinstance(node, ast.ClassDef):
            in_class_body = True
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            in_class_body = False
        children = list(iter_child_nodes(node))
        # Calls first so that type(x) is known before its Name is reached.
        stack.extend((child, node, in_class_body) for child in reversed(children))
    rejections.extend(whole_program_rejections(facts))
    return min(rejections, key=lambda rejection: (rejection.line, rejection.byte_column), default=None)


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
