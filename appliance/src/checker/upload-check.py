"""Upload-time check of one visitor program, without running it.

Reads the program's UTF-8 bytes on stdin and prints one JSON line on stdout:
  {"ok": true}  or
  {"ok": false, "message": ..., "line": L, "column": C, "problems": [{"message", "line", "column"}, ...]}
(line and column 1-based, column counted in characters; message/line/column
repeat the first problem; problems lists every one found, in source order, at
most MAX_PROBLEMS). check.ts has already applied the text rules (size,
encoding, invisible characters); this script owns the syntax, the checks
Python's compiler makes before running anything (symbol table included), and
the language subset. Usage (check-child.ts builds it):
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

# Builtins a program may not use, each with what to do instead. The harness
# hides every one of them too (HIDDEN_BUILTINS in harness.py; a test compares
# the lists), so a program may still use these names for its own variables
# (`input = 3`, `dir = "up"`): only reading the builtin is refused, and a read
# the check takes for the program's own variable finds nothing at run time.
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
# own by the class-pattern rules, and the harness's type() refuses classes at
# run time. A program that uses the name `type` for its own variable
# (`type = "solid"`) skips these rules: the runtime guard is what then holds.
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


def _binary_operator_methods():
    names = "add sub mul matmul truediv floordiv mod divmod pow lshift rshift and xor or".split()
    for name in names:
        yield f"__{name}__"
        yield f"__r{name}__"
        if name != "divmod":
            yield f"__i{name}__"


# Python's data model: the special methods a class defines so that operators,
# len(), for loops, with blocks, print() and conversions work on its objects.
# A class may define them, `super().__init__()` and `Base.__eq__(self, o)` may
# name them, and a class body may alias them (`__radd__ = __add__`). Each one
# only runs what an operator or builtin would run anyway; none of them looks
# an attribute up by a name the check cannot see.
DATA_MODEL_METHODS = frozenset(
    """__init__ __new__ __del__ __repr__ __str__ __bytes__ __format__ __hash__ __bool__
    __lt__ __le__ __eq__ __ne__ __gt__ __ge__ __call__
    __len__ __length_hint__ __getitem__ __setitem__ __delitem__ __missing__ __iter__ __next__
    __reversed__ __contains__ __neg__ __pos__ __abs__ __invert__
    __complex__ __int__ __float__ __index__ __round__ __trunc__ __floor__ __ceil__
    __enter__ __exit__ __aenter__ __aexit__ __await__ __aiter__ __anext__""".split()
) | frozenset(_binary_operator_methods())
# Hooks a class may define but a program may not name as attributes: each
# runs the program's own code on its own objects (a missing attribute, a
# descriptor, MyClass[int]), but reached as attributes on other objects they
# would be ways to look names up from text.
DEFINITION_ONLY_METHODS = frozenset("__getattr__ __get__ __set__ __delete__ __set_name__ __class_getitem__".split())
# Attributes holding a name or a docstring: text, on any object.
TEXT_ATTRIBUTES = frozenset("__name__ __qualname__ __doc__ __module__".split())

# Why the other double-underscore attributes stay refused: they reach the
# interpreter's insides, which is where every known escape from a language
# subset starts. The default reason covers the rest.
INSIDE_REASONS = {
    "__globals__": ("a function's globals are the runner's own variables", None),
    "__builtins__": ("it holds every builtin the tree hides", None),
    "__subclasses__": ("walking the class tree is the usual first step of an escape", None),
    "__mro__": ("walking the class tree is the usual first step of an escape", "isinstance(x, Ball) tells you what a class is"),
    "__bases__": ("walking the class tree is the usual first step of an escape", "isinstance(x, Ball) tells you what a class is"),
    "__base__": ("walking the class tree is the usual first step of an escape", "isinstance(x, Ball) tells you what a class is"),
    "__code__": ("code objects are the interpreter's insides", None),
    "__closure__": ("closure cells hold other functions' variables", None),
    "__dict__": ("it is a door to hidden members of modules and classes", "keep your data in a dict of your own, or read attributes by name"),
    "__class__": ("it reaches the class machinery", "use type(x), or x.__class__.__name__ for the name of its class"),
    "__self__": ("it reaches the object behind a builtin function", None),
    "__func__": ("it reaches the function behind a method", None),
    "__traceback__": ("tracebacks hold the runner's frames", 'print the exception instead: except ValueError as e: print(e)'),
    "__loader__": ("it loads modules the tree does not allow", "import only math, random and time"),
    "__spec__": ("it loads modules the tree does not allow", "import only math, random and time"),
    "__import__": ("it imports modules the tree does not allow", "import math, random or time with an import statement"),
    "__getattribute__": ("it looks attributes up by a name in text, unseen by this check", "write obj.name directly"),
    "__setattr__": ("it sets attributes by a name in text, unseen by this check", "write obj.name = value directly"),
    "__delattr__": ("it deletes attributes by a name in text, unseen by this check", "write del obj.name directly"),
    "__match_args__": ("a class pattern reads the attributes it names, unseen by this check", "name the attributes in the pattern: case Point(x=x, y=y)"),
    "__init_subclass__": ("it hooks into how Python builds classes", "use a plain class"),
    "__instancecheck__": ("it changes what isinstance() and class patterns believe", "use a plain class"),
    "__subclasscheck__": ("it changes what issubclass() and class patterns believe", "use a plain class"),
    "__prepare__": ("it hooks into how Python builds classes", "use a plain class"),
    "__mro_entries__": ("it hooks into how Python builds classes", "use a plain class"),
}
DEFAULT_INSIDE_REASON = ("names with double underscores on both sides reach Python's insides", None)
DEFAULT_WAY_OUT = "use the functions in the runner docs and your own objects' ordinary attributes"

# Attribute names that do not start with "_" but look inside running code:
# frames (f_globals, f_builtins reach the real builtins and the runner),
# tracebacks (tb_frame), code objects (co_code, co_consts), generators,
# coroutines and async generators (gi_frame, cr_frame, ag_frame). The exact
# names are read from this interpreter's own objects (running_code_attributes),
# so a program's own `self.f_speed` or `self.co_owner` is fine.
INTROSPECTION_PREFIXES = ("f_", "tb_", "co_", "gi_", "cr_", "ag_")
INTROSPECTION_NAMES = {
    "mro": "the class hierarchy walk (type(x).mro()) is the usual first step of an escape; "
    "isinstance(x, Ball) tells you whether x is a Ball",
    "cell_contents": "closure cells hold other functions' variables; pass values to a function as arguments",
}


def running_code_attributes():
    """The introspection attributes of this Python's frames, tracebacks, code,
    generators, coroutines and async generators (the ones the sandbox runs)."""

    def generator():
        yield

    async def coroutine():
        pass

    async def async_generator():
        yield

    try:
        raise ValueError
    except ValueError as error:
        traceback = error.__traceback__
    samples = [traceback, traceback.tb_frame, generator.__code__, generator(), coroutine(), async_generator()]
    names = set()
    for sample in samples:
        names.update(name for name in dir(sample) if name.startswith(INTROSPECTION_PREFIXES))
    samples[4].close()  # a coroutine never awaited would warn when collected
    return frozenset(names)


RUNNING_CODE_ATTRIBUTES = running_code_attributes()


def module_private_members():
    """Private members of the modules a program may import: name -> (module,
    whether its value is a module or a class, the doors to the rest of Python:
    random._os is the os module). Read from the modules themselves."""
    import math
    import random
    import time

    members = {}
    for module in (math, random, time):
        for name, value in vars(module).items():
            if name.startswith("_") and not is_dunder(name):
                members.setdefault(name, (module.__name__, isinstance(value, (type, type(module)))))
    return members


def is_dunder(name):
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


MODULE_PRIVATE_MEMBERS = module_private_members()

# str.format and str.format_map follow "{0.attr}" fields with getattr, inside
# the string, where no syntax check can see it ("{0.__class__}".format(x)).
# So they are allowed only on a string written in quotes, or on a variable
# every binding of which, anywhere in the program, is such a string (so its
# fields are all checked here), and never fetched by a keyword pattern (case
# str(format=f), review finding 2).
FORMAT_METHODS = ("format", "format_map")
# Problems reported per program at most; the rest are found once these are fixed.
MAX_PROBLEMS = 25


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


def inside_reason(name):
    return INSIDE_REASONS.get(name, DEFAULT_INSIDE_REASON)[0]


def inside_way_out(name):
    return INSIDE_REASONS.get(name, DEFAULT_INSIDE_REASON)[1] or DEFAULT_WAY_OUT


class Scope:
    """Where a node sits: directly in a class body, and the class whose name
    Python mangles `__private` names with (None outside classes)."""

    __slots__ = ("in_class_body", "class_name")

    def __init__(self, in_class_body, class_name):
        self.in_class_body = in_class_body
        self.class_name = class_name

    def mangled(self, name):
        """Python's name for a `__private` name written here, or None when none applies."""
        if self.class_name is None or not name.startswith("__") or name.endswith("__"):
            return None
        owner = self.class_name.lstrip("_")
        return f"_{owner}{name}" if owner else None


def check_plain_name(name, node, what, scope, facts, loads=False):
    """A name the program binds or uses: variables, parameters, functions, imports.
    Your own `_helper` and `_CONSTANT` are fine (the program's globals are its
    own dict); double-underscore names on both sides are Python's."""
    if is_dunder(name):
        if name == "__name__" and loads:
            return  # if __name__ == "__main__": (the harness runs programs as __main__)
        if scope.in_class_body and (name == "__slots__" or name in DATA_MODEL_METHODS):
            return  # __slots__ = ("x", "y"), __radd__ = __add__, __hash__ = None
        raise Rejection(
            f'{what} "{name}" is not allowed on the tree: {inside_reason(name)}; '
            f'{inside_way_out(name) if name in INSIDE_REASONS else "name your own things without two underscores on both sides, like " + chr(34) + (name.strip("_") or "x") + chr(34)}',
            node,
        )
    if loads and name in FORBIDDEN_NAMES:
        facts.forbidden_loads.append((name, node))


def check_attribute_name(name, node, parent, scope, facts, receiver=None, stores=False):
    """`obj.name` (or a class pattern's `name=`): what it may reach."""
    at = name if isinstance(node, ast.Attribute) else None
    if is_dunder(name):
        if name in TEXT_ATTRIBUTES or name in DATA_MODEL_METHODS:
            return
        if (name == "__class__" and isinstance(parent, ast.Attribute) and parent.value is node
                and parent.attr in TEXT_ATTRIBUTES):
            return  # self.__class__.__name__
        if name in DEFINITION_ONLY_METHODS:
            reason, way_out = "a class may define it, but naming it as an attribute looks names up from text", "let Python call it"
        else:
            reason, way_out = inside_reason(name), inside_way_out(name)
        raise Rejection(f'".{name}" is not allowed on the tree: {reason}; {way_out}', node, at)
    if name.startswith("_"):
        mangled = scope.mangled(name)
        if mangled is not None:
            name = mangled  # self.__x inside class Ball is self._Ball__x: the class's own
        facts.private_attributes.append((name, node, receiver, stores, mangled is not None))
        return
    if name in INTROSPECTION_NAMES:
        raise Rejection(f'".{name}" is not allowed on the tree: {INTROSPECTION_NAMES[name]}', node, at)
    if name in RUNNING_CODE_ATTRIBUTES:
        raise Rejection(
            f'".{name}" is not allowed on the tree: it looks inside running code (frames, tracebacks, '
            f"code, generators); if it is your own attribute, give it another name",
            node,
            at,
        )


def private_attribute_rejection(name, node, receiver, stores, mangled, facts):
    """The rules for `obj._name` that need the whole program (run after the walk)."""
    at = node.attr if isinstance(node, ast.Attribute) else None
    module_member = MODULE_PRIVATE_MEMBERS.get(name)
    if isinstance(receiver, ast.Name) and receiver.id in facts.module_names:
        return Rejection(
            f'".{name}" is a hidden member of the {facts.module_names[receiver.id]} module, which is not '
            f"allowed on the tree: modules' members starting with \"_\" are their insides "
            f"(random._os is the os module); use the functions the module documents",
            node,
            at,
        )
    if module_member is not None and module_member[1]:
        return Rejection(
            f'".{name}" is not allowed on the tree: {module_member[0]}.{name} is one of that module\'s '
            f"hidden members (a module or class inside it); if it is your own attribute, give it another name",
            node,
            at,
        )
    if stores or mangled or name in facts.own_attributes:
        return None
    return Rejection(
        f'".{name}" starts with "_" and your program never sets it: an attribute starting with "_" may '
        f"only be one your program makes itself (like self.{name} = ... or a method named {name}), "
        f"because other objects' hidden members reach Python's insides",
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


def check_format_receiver(node, facts):
    receiver = node.value
    if isinstance(receiver, ast.Constant) and isinstance(receiver.value, str):
        check_format_string(receiver.value, node)
        return
    if isinstance(receiver, ast.Name):
        facts.format_templates.append(node)  # decided once every binding is known
        return
    raise Rejection(format_receiver_message(node.attr), node, node.attr)


def format_receiver_message(method):
    return (
        f'".{method}" may only be used on a string written in quotes, like "LED {{}}".format(i), or on a '
        f'variable that only ever holds such strings (template = "LED {{}}"); an f-string such as '
        f'f"LED {{i}}" is simpler; if this is your own method, give it another name'
    )


def format_template_rejection(node, facts):
    """`template.format(...)`: every value the name can hold must be a checked string."""
    name = node.value.id
    constants = facts.string_constants.get(name, [])
    why = None
    if not constants:
        why = f'"{name}" is never given a string written in quotes'
    elif name in facts.other_bindings:
        where = getattr(facts.other_bindings[name], "lineno", 1)
        why = f'"{name}" is also given a value that is not a string written in quotes (line {where})'
    elif facts.star_import is not None:
        why = f'"from {facts.star_import.module} import *" (line {facts.star_import.lineno}) can replace "{name}"'
    if why is not None:
        return Rejection(f"{format_receiver_message(node.attr)} ({why})", node, node.attr)
    for constant in constants:
        try:
            check_format_string(constant.value, constant)
        except Rejection as rejection:
            return Rejection(f"{rejection.message} (this string is used as a template on line {node.lineno})", constant)
    return None


def check_import(node, facts):
    for alias in node.names:
        if alias.name not in ALLOWED_MODULES:
            raise Rejection(
                f'"import {alias.name}" is not allowed: programs on the tree can import only math, '
                f"random and time (the LED functions are already there without an import); "
                f"remove this import",
                node,
            )
        facts.module_names[alias.asname or alias.name] = alias.name


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
        if alias.name.startswith("_"):
            raise Rejection(
                f'"{alias.name}" is a hidden member of the {module} module (its name starts with "_"), '
                f"which is not allowed on the tree; import the functions the module documents",
                node,
            )


def check_class(node):
    if node.keywords:
        raise Rejection(
            f'"class {node.name}(... {node.keywords[0].arg or "**"}=...)" is not allowed: class '
            f"keywords such as metaclass= change how Python builds classes; use a plain class",
            node,
        )


def check_function_name(node, scope, facts):
    name = node.name
    if is_dunder(name):
        if scope.in_class_body and (name in DATA_MODEL_METHODS or name in DEFINITION_ONLY_METHODS):
            return
        if not scope.in_class_body and (name in DATA_MODEL_METHODS or name in DEFINITION_ONLY_METHODS):
            raise Rejection(
                f'"{name}" is a special method, which only works defined directly inside a class '
                f"(class Ball: def {name}(self, ...)); move it into the class, or give the function an "
                f"ordinary name",
                node,
            )
        raise Rejection(
            f'the method "{name}" is not allowed on the tree: {inside_reason(name)}; the special methods '
            f"of Python's data model (__init__, __str__, __repr__, __eq__, __len__, __iter__, __next__, "
            f"arithmetic, __enter__/__exit__ ...) are fine, otherwise use an ordinary method name",
            node,
        )
    check_plain_name(name, node, "the function name", scope, facts)


def check_arguments(arguments, scope, facts):
    every = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
    every += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
    for arg in every:
        check_plain_name(arg.arg, arg, "the parameter", scope, facts)


class ProgramFacts:
    """What the rules that need the whole program collect during the walk."""

    def __init__(self):
        self.allowed_type_calls = set()  # id() of `type` Names that are the func of a one-argument call
        self.one_argument_type_calls = []  # those calls
        self.bare_type_names = []  # `type` Names anywhere else
        self.bindings = {}  # name -> first node that binds it, anywhere in the program
        self.star_import = None  # the first `from m import *` (it binds names nobody can list)
        self.class_names = set()  # names bound by class statements
        self.type_results = set()  # names assigned straight from a type(...) call
        self.positional_patterns = []  # (MatchClass, whether it sits directly in a class body)
        self.forbidden_loads = []  # (name, node): uses of builtins the tree hides
        self.module_names = {}  # name bound by `import m [as name]` -> m
        self.own_attributes = set()  # attribute names the program sets or defines in a class body
        self.private_attributes = []  # (name, node, receiver, stores, mangled) for `obj._name`
        self.string_constants = {}  # name -> [Constant] for `name = "a string in quotes"`
        self.other_bindings = {}  # name -> first binding of it that is not such an assignment
        self.format_templates = []  # `name.format` Attributes

    def bind(self, name, node):
        self.bindings.setdefault(name, node)


def is_type_call(node):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == ONE_ARGUMENT_ONLY


def check_match_class(node, scope, facts):
    # case C(attr=pattern) reads C's attribute attr: the attribute rules apply,
    # and format/format_map would hand out str.format without its written
    # string (case str(format=f), review finding 2).
    for attr in node.kwd_attrs:
        check_attribute_name(attr, node, None, scope, facts)
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
    facts.positional_patterns.append((node, scope.in_class_body))


def slot_names(value):
    """The attribute names a `__slots__ = ...` value lists."""
    items = value.elts if isinstance(value, (ast.Tuple, ast.List, ast.Set)) else [value]
    return [item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def collect_bindings(node, parent, scope, facts):
    """Every way Python 3.11 binds a name, so a rebound builtin is known, and
    every attribute name the program gives its own objects."""
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        facts.bind(node.id, node)
        if scope.in_class_body:
            facts.own_attributes.add(node.id)
        quoted = (
            isinstance(node.ctx, ast.Store)
            and isinstance(parent, (ast.Assign, ast.AnnAssign))
            and (node in parent.targets if isinstance(parent, ast.Assign) else node is parent.target)
            and isinstance(parent.value, ast.Constant)
            and isinstance(parent.value.value, str)
        )
        if quoted:
            facts.string_constants.setdefault(node.id, []).append(parent.value)
        else:
            facts.other_bindings.setdefault(node.id, node)
        return
    if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
        facts.own_attributes.add(node.attr)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        facts.bind(node.name, node)
        facts.other_bindings.setdefault(node.name, node)
        if scope.in_class_body:
            facts.own_attributes.add(node.name)
        if isinstance(node, ast.ClassDef):
            facts.class_names.add(node.name)
    elif isinstance(node, ast.arg):
        facts.bind(node.arg, node)
        facts.other_bindings.setdefault(node.arg, node)
    elif isinstance(node, ast.Import):
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            facts.bind(name, node)
            facts.other_bindings.setdefault(name, node)
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            if alias.name == "*":
                facts.star_import = facts.star_import or node
            else:
                facts.bind(alias.asname or alias.name, node)
                facts.other_bindings.setdefault(alias.asname or alias.name, node)
    elif isinstance(node, ast.ExceptHandler) and node.name is not None:
        facts.bind(node.name, node)
        facts.other_bindings.setdefault(node.name, node)
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name is not None:
        facts.bind(node.name, node)
        facts.other_bindings.setdefault(node.name, node)
    elif isinstance(node, ast.MatchMapping) and node.rest is not None:
        facts.bind(node.rest, node)
        facts.other_bindings.setdefault(node.rest, node)
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and scope.in_class_body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(isinstance(target, ast.Name) and target.id == "__slots__" for target in targets) and node.value is not None:
            facts.own_attributes.update(slot_names(node.value))
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and is_type_call(node.value):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        facts.type_results.update(target.id for target in targets if isinstance(target, ast.Name))


def check_node(node, parent, scope, facts):
    collect_bindings(node, parent, scope, facts)
    if isinstance(node, ast.Name):
        loads = isinstance(node.ctx, ast.Load)
        if node.id == ONE_ARGUMENT_ONLY and loads and id(node) not in facts.allowed_type_calls:
            facts.bare_type_names.append(node)
        check_plain_name(node.id, node, "the name", scope, facts, loads=loads)
    elif isinstance(node, ast.Call):
        if is_type_call(node) and len(node.args) == 1 and not node.keywords and not isinstance(node.args[0], ast.Starred):
            facts.allowed_type_calls.add(id(node.func))
            facts.one_argument_type_calls.append(node)
    elif isinstance(node, ast.Attribute):
        stores = not isinstance(node.ctx, ast.Load)
        check_attribute_name(node.attr, node, parent, scope, facts, receiver=node.value, stores=stores)
        if node.attr in FORMAT_METHODS and not stores:
            check_format_receiver(node, facts)
    elif isinstance(node, ast.Import):
        check_import(node, facts)
        for alias in node.names:
            if alias.asname is not None:
                check_plain_name(alias.asname, node, "the import name", scope, facts)
    elif isinstance(node, ast.ImportFrom):
        check_import_from(node)
        for alias in node.names:
            if alias.asname is not None:
                check_plain_name(alias.asname, node, "the import name", scope, facts)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        check_function_name(node, scope, facts)
    elif isinstance(node, ast.ClassDef):
        check_class(node)
        check_plain_name(node.name, node, "the class name", scope, facts)
    elif isinstance(node, ast.arguments):
        check_arguments(node, scope, facts)
    elif isinstance(node, ast.keyword):
        if node.arg is not None and is_dunder(node.arg):
            check_plain_name(node.arg, node, "the keyword argument", scope, facts)
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        for name in node.names:
            check_plain_name(name, node, "the name", scope, facts)
    elif isinstance(node, ast.ExceptHandler):
        if node.name is not None:
            check_plain_name(node.name, node, "the exception name", scope, facts)
    elif isinstance(node, ast.MatchClass):
        check_match_class(node, scope, facts)
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)):
        if node.name is not None:
            check_plain_name(node.name, node, "the name", scope, facts)
    elif isinstance(node, ast.MatchMapping):
        if node.rest is not None:
            check_plain_name(node.rest, node, "the name", scope, facts)


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
    for name, node in facts.forbidden_loads:
        # A name the program binds anywhere is taken for its own variable; the
        # harness hides the builtin, so a read before the binding fails at run time.
        if name not in facts.bindings:
            yield Rejection(f'"{name}" is not allowed on the tree: {FORBIDDEN_NAMES[name]}', node)
    for name, node, receiver, stores, mangled in facts.private_attributes:
        rejection = private_attribute_rejection(name, node, receiver, stores, mangled, facts)
        if rejection is not None:
            yield rejection
    for node in facts.format_templates:
        rejection = format_template_rejection(node, facts)
        if rejection is not None:
            yield rejection
    if ONE_ARGUMENT_ONLY not in facts.bindings:
        for node in facts.bare_type_names:
            yield Rejection(
                '"type" may only be called with one value, like type(x), to see what x is; '
                "building classes with type(name, bases, dict) is not allowed, write a class instead",
                node,
            )
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
    """Walks the tree without recursion and returns every rejection, in source order."""
    rejections = []
    facts = ProgramFacts()
    stack = [(tree, None, Scope(False, None))]
    while stack:
        node, parent, scope = stack.pop()
        try:
            check_node(node, parent, scope, facts)
        except Rejection as rejection:
            rejections.append(rejection)
        children = list(iter_child_nodes(node))
        if isinstance(node, ast.ClassDef):
            # The body runs in the class; bases, keywords and decorators around it.
            body = {id(statement) for statement in node.body}
            inner = Scope(True, node.name)
            scopes = [inner if id(child) in body else scope for child in children]
        else:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                scope = Scope(False, scope.class_name)
            scopes = [scope] * len(children)
        # Calls first so that type(x) is known before its Name is reached.
        stack.extend((child, node, child_scope) for child, child_scope in zip(reversed(children), reversed(scopes)))
    rejections.extend(whole_program_rejections(facts))
    unique = {}
    for rejection in rejections:
        unique.setdefault((rejection.line, rejection.byte_column, rejection.message), rejection)
    return [unique[key] for key in sorted(unique)]


def character_column(lines, line, byte_column):
    """AST columns count UTF-8 bytes from 0; people count characters from 1."""
    if 1 <= line <= len(lines):
        return len(lines[line - 1].encode("utf-8")[:byte_column].decode("utf-8", "replace")) + 1
    return 1


# Characters per message at most: a message quotes the program's own names,
# which may be thousands of characters long.
MAX_MESSAGE_CHARS = 400


def problem(message, line, column):
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 3] + "..."
    return {"message": message, "line": line, "column": column}


# What to do about the errors Python's compiler finds in a program that parses.
COMPILER_ADVICE = (
    ("'return' outside function", "return only works inside a def; to stop the program early, raise SystemExit"),
    ("outside loop", "break only works inside a for or while loop"),
    ("not properly in loop", "continue only works inside a for or while loop"),
    ("duplicate argument", "give each parameter its own name"),
    ("nonlocal declaration not allowed at module level", "at the top level the variable is already yours: remove the nonlocal line"),
    ("outside async function", "the tree has no asyncio: call the function directly, without await"),
)


def syntax_problem(error, lines, byte_offsets):
    """A SyntaxError as a problem. The parser counts columns in characters; the
    symbol table and compiler, which work on the tree, count UTF-8 bytes."""
    kind = "indentation error" if isinstance(error, IndentationError) else "syntax error"
    line = max(1, error.lineno or 1)
    offset = max(1, error.offset or 1)
    if not byte_offsets:
        return problem(f"{kind}: {error.msg} (look at this line and the one before it)", line, offset)
    advice = next((advice for part, advice in COMPILER_ADVICE if part in error.msg), None)
    advice = advice or "Python refuses this before running anything; change this line"
    return problem(f"{kind}: {error.msg}; {advice}", line, character_column(lines, line, offset - 1))


TOO_NESTED = (
    "this program is too deeply nested (or too big) for Python to read: brackets or operators inside "
    "each other hundreds of times; split it into smaller steps with variables"
)


def verdict_for(text):
    """Every problem in the program, as Python and the tree's rules see it before running it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    try:
        tree = compile(text, "program.py", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return rejected([syntax_problem(error, lines, byte_offsets=False)])
    except (RecursionError, MemoryError):
        return rejected([problem(TOO_NESTED, 1, 1)])
    problems = [
        problem(rejection.message, rejection.line, character_column(lines, rejection.line, rejection.byte_column))
        for rejection in check_tree(tree)
    ]
    # The symbol table and the compiler's own checks: return/break/continue
    # outside a function or loop, duplicate parameters, nonlocal at module
    # level, yield in a comprehension ... Compiling runs none of the program.
    try:
        compile(tree, "program.py", "exec", dont_inherit=True)
    except SyntaxError as error:
        problems.append(syntax_problem(error, lines, byte_offsets=True))
    except (RecursionError, MemoryError):
        problems.append(problem(TOO_NESTED, 1, 1))
    if not problems:
        return {"ok": True}
    return rejected(sorted(problems, key=lambda found: (found["line"], found["column"])))


def rejected(problems):
    first = problems[0]
    return {"ok": False, "message": first["message"], "line": first["line"], "column": first["column"],
            "problems": problems[:MAX_PROBLEMS]}


def to_json(value):
    """Enough JSON for a verdict (bools, ints, strings, lists, dicts), without importing json."""
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
    if isinstance(value, list):
        return "[" + ", ".join(to_json(item) for item in value) + "]"
    return "{" + ", ".join(to_json(key) + ": " + to_json(item) for key, item in value.items()) + "}"


def confine(reads_stdin=False):
    """After the input is read: memory, printing the verdict and exiting are all it may do
    (and, for a checker serving several programs one after another, reading the next one)."""
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
    if reads_stdin:
        syscall_filter.add_rule(seccomp.ALLOW, "read", seccomp.Arg(0, seccomp.EQ, 0))
    syscall_filter.load()


def set_limits(address_space_bytes, cpu_seconds):
    resource.setrlimit(resource.RLIMIT_AS, (address_space_bytes, address_space_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def verdict_for_bytes(data, max_input_bytes):
    if len(data) > max_input_bytes:
        return {"ok": False, "message": "the program is too large to check", "line": 1, "column": 1}
    return verdict_for(data.decode("utf-8", "strict"))


def reply(verdict):
    sys.stdout.write(to_json(verdict) + "\n")
    sys.stdout.flush()


def main():
    max_input_bytes, address_space_bytes, cpu_seconds = (int(value) for value in sys.argv[1:4])
    set_limits(address_space_bytes, cpu_seconds)
    data = sys.stdin.buffer.read(max_input_bytes + 1)
    confine()
    reply(verdict_for_bytes(data, max_input_bytes))


def serve():
    """One program after another: each comes as its length in bytes on a line of its own, then
    the program; each verdict is one line; the end of input ends the checker. The app retires a
    checker after a number of programs (its CPU limit covers them all) and after any surprise."""
    max_input_bytes, address_space_bytes, cpu_seconds = (int(value) for value in sys.argv[1:4])
    set_limits(address_space_bytes, cpu_seconds)
    confine(reads_stdin=True)
    stdin = sys.stdin.buffer
    while True:
        header = stdin.readline(16)
        if not header:
            return
        size = int(header)
        if not 0 <= size <= max_input_bytes + 1:
            raise ValueError("length out of range")
        data = stdin.read(size)
        if len(data) != size:
            raise EOFError("input ended inside a program")
        reply(verdict_for_bytes(data, max_input_bytes))


if __name__ == "__main__":
    try:
        serve() if sys.argv[4:5] == ["serve"] else main()
    except BaseException as error:  # fail closed: any surprise is a rejection, never a pass
        sys.stdout.write(to_json({"ok": False, "internal": type(error).__name__}) + "\n")
        sys.stdout.flush()
        sys.exit(3)
