# The only Python the appliance owns. runner.ts starts it inside bubblewrap as
#   python3 -I -S -B -c <this file> run
# and writes one JSON object to its stdin: the visitor's source, the LED count,
# the LED positions, the frame fd and the stage-2 seccomp rules (policy.ts).
# A prepared start (awaitGo) then waits, compiled and filtered, for one more
# byte before it runs the program (_await_go).
# Frames leave on that dedicated fd as compact JSON lines; stdout and stderr are
# the visitor's own and are never parsed as frames.
#
# The language-level fences here (a trimmed builtins dict, an import allow-list,
# hidden internals) are courtesy and friendly errors. The boundary is the OS
# layer: bubblewrap, rlimits and the two seccomp stages. Assume this file's
# internals leak to the visitor, and keep it so that nothing here matters then.
#
# The same file, with the argument "compile-filter", turns a rule set (JSON on
# stdin) into BPF (stdout) with libseccomp: stage 1, which bwrap applies.
import errno as _errno
import math as _math  # noqa: F401  the visitor's modules, served from sys.modules
import os as _os
import random as _random  # noqa: F401
import sys as _sys
import time as _time
# JSON without the json package: json.decoder imports re and enum, which cost
# a third of the harness's start-up. CPython's C scanner and encoder (the
# engine inside json) do the same work; json itself is the fallback.
try:
    import _json

    class _ScanContext:
        strict = True
        object_hook = None
        object_pairs_hook = None
        parse_float = float
        parse_int = int
        memo = None

        @staticmethod
        def parse_constant(name):
            raise ValueError(f"unexpected JSON constant {name}")

    def _json_loads(text):
        value, end = _json.make_scanner(_ScanContext())(text, 0)
        if text[end:].strip():
            raise ValueError("extra data after the JSON value")
        return value

    def _json_string(text):
        return _json.encode_basestring_ascii(text)
except (ImportError, AttributeError):  # pragma: no cover - another Python
    import json

    _json_loads = json.loads

    def _json_string(text):
        return json.dumps(text)


# traceback, linecache and ast are imported only when a program fails (they
# cost more to import than a typical run needs); stage 2 still lets the
# interpreter read its own read-only runtime.

PROGRAM_FILENAME = "program.py"
CLONE_THREAD = 0x00010000  # include/uapi/linux/sched.h; the same on every Linux arch


def _load_seccomp():
    # -S leaves dist-packages off sys.path; add it only for this import.
    _sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import seccomp
    finally:
        _sys.path.pop()
    return seccomp


def symbol_table():
    """Values of the names rule arguments may use, as this system defines them,
    so nothing arch-specific is written down twice. Reported to the parent with
    stage 1, which passes stage 2's rules with numbers already filled in."""
    import mmap
    import termios
    return {
        "CLONE_THREAD": CLONE_THREAD,
        "O_WRONLY": _os.O_WRONLY,
        "O_RDWR": _os.O_RDWR,
        "O_CREAT": _os.O_CREAT,
        "O_TRUNC": _os.O_TRUNC,
        "O_APPEND": _os.O_APPEND,
        "O_ACCMODE_WRITE": _os.O_WRONLY | _os.O_RDWR | _os.O_CREAT | _os.O_TRUNC | _os.O_APPEND,
        "PROT_EXEC": mmap.PROT_EXEC,
        "TCGETS": termios.TCGETS,
        "TIOCGWINSZ": termios.TIOCGWINSZ,
        "FIOCLEX": termios.FIOCLEX,
        "FIONCLEX": termios.FIONCLEX,
    }


def _symbol(value):
    return value if isinstance(value, int) else symbol_table()[value]


def _action(seccomp, action):
    if action == "allow":
        return seccomp.ALLOW
    if action == "kill":
        return seccomp.KILL_PROCESS
    return seccomp.ERRNO(getattr(_errno, action["errno"]))


def _comparison(seccomp, cond):
    op = cond["op"]
    if op == "masked_eq":
        return seccomp.Arg(cond["arg"], seccomp.MASKED_EQ, _symbol(cond["mask"]), _symbol(cond["value"]))
    ops = {"eq": seccomp.EQ, "ne": seccomp.NE}
    return seccomp.Arg(cond["arg"], ops[op], _symbol(cond["value"]))


def build_filter(rules, arch=None):
    """One libseccomp filter from the rule set policy.ts declares. Syscall names
    that do not exist on the target arch are skipped (e.g. `open`, `fork` on
    aarch64): the rule set names every variant, libseccomp resolves numbers."""
    seccomp = _load_seccomp()
    filt = seccomp.SyscallFilter(defaction=_action(seccomp, rules["defaultAction"]))
    target = seccomp.Arch.NATIVE
    if arch is not None:
        # Building for another arch (tests build the aarch64 filter on x86-64).
        target = getattr(seccomp.Arch, arch.upper())
        if target & 0xFFFFFFFF == seccomp.system_arch():
            target = seccomp.Arch.NATIVE
        else:
            filt.add_arch(target)
            filt.remove_arch(seccomp.Arch.NATIVE)
    # Anything from a foreign ABI (32-bit int 0x80 on x86-64, ...) dies.
    filt.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)
    skipped = []
    for rule in rules["rules"]:
        if rule["action"] == rules["defaultAction"]:
            continue  # libseccomp refuses rules that restate the default; they are documentation
        action = _action(seccomp, rule["action"])
        args = [_comparison(seccomp, c) for c in rule.get("args", [])]
        for name in rule["syscalls"]:
            if seccomp.resolve_syscall(target, name) < 0:
                skipped.append(name)
                continue
            filt.add_rule(action, name, *args)
    return filt, skipped


def compile_filter_main():
    request = _json_loads(_sys.stdin.buffer.read().decode())
    filt, skipped = build_filter(request["rules"], request.get("arch"))
    filt.export_bpf(_sys.stdout)
    _sys.stdout.flush()
    import json
    _sys.stderr.write(json.dumps({"skipped": skipped, "symbols": symbol_table()}))
    return 0


# ---------------------------------------------------------------- visitor API

COLOURS = {
    "OFF": (0, 0, 0, 0),
    "BLACK": (0, 0, 0, 0),
    "WHITE": (255, 255, 255, 100),
    "WARM_WHITE": (255, 170, 80, 100),
    "RED": (255, 0, 0, 100),
    "GREEN": (0, 255, 0, 100),
    "BLUE": (0, 0, 255, 100),
    "YELLOW": (255, 255, 0, 100),
    "CYAN": (0, 255, 255, 100),
    "MAGENTA": (255, 0, 255, 100),
    "ORANGE": (255, 128, 0, 100),
    "PURPLE": (128, 0, 255, 100),
    "PINK": (255, 80, 160, 100),
    "GOLD": (255, 190, 0, 100),
}
CHANNELS = (("R", 255), ("G", 255), ("B", 255), ("L", 100))
# Late frames setLEDs may send back to back to keep the schedule; well below
# the runner's burst (limits.ts frameBurst), so paced programs never lose frames.
CATCH_UP_FRAMES = 4


def _describe(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def make_api(led_count, positions, write_line, min_frame_interval_s):
    """The visitor's functions, as closures so they carry no harness globals of
    their own. Errors name the LED and the value and say what to do."""
    positions = tuple(tuple(p) for p in positions)
    next_frame_at = [0.0]
    monotonic = _time.monotonic
    sleep = _time.sleep

    def getLEDCount():
        """How many LEDs the tree has."""
        return led_count

    def getLEDPositions():
        """(x, y, z) of every LED: x and y from -1 to 1 across the tree, z from 0 (bottom) up."""
        return list(positions)

    def _checked_state(index, state):
        """The state's four values, read once (a list subclass's __iter__ or
        __len__ cannot answer differently later), checked, as a tuple."""
        if not isinstance(state, (list, tuple)):
            raise TypeError(f"LED {index}: expected [R, G, B, L], got {_describe(state)}")
        values = tuple(state)
        if len(values) != 4:
            shown = state if type(state) in (list, tuple) else values
            raise ValueError(f"LED {index}: expected 4 numbers [R, G, B, L], got {len(values)}: {_describe(shown)}")
        for (name, top), value in zip(CHANNELS, values):
            if type(value) is not int:
                if isinstance(value, float) and value.is_integer():
                    hint = f"use int({value})"
                else:
                    hint = "use a whole number, e.g. int(x) or round(x)"
                raise TypeError(f"LED {index}: {name}={_describe(value)} is not a whole number ({hint})")
            if value < 0 or value > top:
                raise ValueError(f"LED {index}: {name}={value} is out of range 0-{top}")
        return values

    def setLEDs(states):
        """Show one frame: a list of exactly getLEDCount() states [R, G, B, L]
        (R, G, B 0-255, L brightness 0-100). Waits so frames go out at most at
        the tree's frame rate."""
        if not isinstance(states, (list, tuple)):
            raise TypeError(f"setLEDs needs a list of [R, G, B, L] states, got {_describe(states)}")
        # Read the outer list once, before any of the visitor's code can run
        # (a state's __iter__ may resize it): what is checked is what is sent.
        # A plain list is copied in C in one go; a tuple is returned as is.
        states = tuple(states)
        if len(states) != led_count:
            raise ValueError(f"setLEDs needs exactly {led_count} states (one per LED), got {len(states)}")
        parts = []
        append = parts.append
        for index, state in enumerate(states):
            # Fast path for the common case; anything unusual gets the careful check.
            # Unpacking a plain list or tuple reads it once, in C; the ints are then ours.
            if type(state) in (list, tuple) and len(state) == 4:
                try:
                    r, g, b, l = state
                except ValueError:  # resized since len() by another thread: read it again below
                    r = None
                if (type(r) is int and type(g) is int and type(b) is int and type(l) is int
                        and 0 <= r <= 255 and 0 <= g <= 255 and 0 <= b <= 255 and 0 <= l <= 100):
                    append(f"[{r},{g},{b},{l}]")
                    continue
            r, g, b, l = _checked_state(index, state)
            append(f"[{r},{g},{b},{l}]")
        if min_frame_interval_s > 0:
            # Frames keep to a fixed schedule; one that is late may catch up a
            # few frames (within the runner's burst), never more.
            now = monotonic()
            due = max(next_frame_at[0], now - CATCH_UP_FRAMES * min_frame_interval_s)
            if now < due:
                sleep(due - now)
            next_frame_at[0] = due + min_frame_interval_s
        write_line("[" + ",".join(parts) + "]\n")

    def hsv(hue, saturation=1.0, value=1.0):
        """A state from hue (degrees, 0-360, wraps around), saturation and value (0-1)."""
        h = (float(hue) % 360.0) / 60.0
        s = min(max(float(saturation), 0.0), 1.0)
        v = min(max(float(value), 0.0), 1.0)
        sector = int(h) % 6
        f = h - int(h)
        p, q, t = v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))
        r, g, b = ((v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q))[sector]
        return (round(r * 255), round(g * 255), round(b * 255), 100)

    def rgb(r, g, b, level=100):
        """A state from R, G, B (0-255) and a brightness level (0-100), rounded and kept in range."""
        clamp = lambda x, top: min(max(int(round(x)), 0), top)
        return (clamp(r, 255), clamp(g, 255), clamp(b, 255), clamp(level, 100))

    def wait(seconds):
        """Pause for that many seconds (like time.sleep)."""
        sleep(seconds)

    api = {
        "getLEDCount": getLEDCount,
        "getLEDPositions": getLEDPositions,
        "setLEDs": setLEDs,
        "hsv": hsv,
        "rgb": rgb,
        "wait": wait,
    }
    api.update(COLOURS)
    return api


# ---------------------------------------------------------------- the run

ALLOWED_MODULES = ("math", "random", "time")
# The upload check refuses reading any of these (FORBIDDEN_NAMES in
# upload-check.py) but lets a program use the names for its own variables
# (`input = 3`); hiding them here is what makes a read before such an
# assignment a NameError instead of the builtin. A test compares the lists.
HIDDEN_BUILTINS = (
    "open", "exec", "eval", "compile", "__import__", "globals", "locals", "vars",
    "getattr", "setattr", "delattr", "dir", "breakpoint", "input", "help", "memoryview",
    "exit", "quit", "copyright", "credits", "license", "__loader__", "__spec__",
)


def make_builtins(allowed):
    modules = _sys.modules

    def restricted_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level != 0 or name not in allowed:
            raise ImportError(f"import {name} is not allowed here; you can use {', '.join(allowed)}")
        return modules[name]

    real_type = type

    def visitor_type(*args, **kwargs):
        # Belt and braces behind the upload check: type(type(x)) is the
        # metaclass `type`, from which a program can build classes that lie to
        # isinstance and `match` (and so read attributes the check never saw).
        # Values keep working: type(5) is int.
        if kwargs or len(args) != 1:
            raise TypeError("type() takes exactly one value here, as in type(5); to make a class, use a class statement")
        if isinstance(args[0], real_type):
            # (No name in the message: a hostile class's __name__ could be anything.)
            raise TypeError("type() of a class is not available here; use type() on values, as in type(5)")
        return real_type(args[0])

    table = dict(__builtins__.__dict__ if hasattr(__builtins__, "__dict__") else __builtins__)
    for name in HIDDEN_BUILTINS:
        table.pop(name, None)
    table["__import__"] = restricted_import
    visitor_type.__name__ = visitor_type.__qualname__ = "type"
    table["type"] = visitor_type
    return table


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = _os.write(fd, view)
        view = view[written:]


def _visitor_stack(traceback, tb_exception):
    """Drops harness frames (and chained exceptions' harness frames) so a
    traceback shows only the visitor's lines."""
    seen = set()
    te = tb_exception
    while te is not None and id(te) not in seen:
        seen.add(id(te))
        te.stack = traceback.StackSummary.from_list(
            [frame for frame in te.stack if frame.filename == PROGRAM_FILENAME])
        te = te.__cause__ or te.__context__


# The error shown to the visitor: the whole exception (type and message, notes
# included), up to this many lines and characters (the runner clips again, to
# limits.ts maxErrorChars); the full traceback is on stderr.
ERROR_MAX_LINES = 8
ERROR_MAX_CHARS = 500


def _clip_error(text):
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    if len(lines) > ERROR_MAX_LINES:
        more = len(lines) - (ERROR_MAX_LINES - 1)
        lines = lines[:ERROR_MAX_LINES - 1] + [f"... ({more} more lines in the error output)"]
    text = "\n".join(lines)
    return text if len(text) <= ERROR_MAX_CHARS else text[:ERROR_MAX_CHARS - 3] + "..."


def _exception_text(te):
    """Type and message of the exception itself. For a syntax error the lines
    that repeat the source and point at it are dropped (the line number is sent
    on its own); every other exception is kept whole, so a message of several
    lines keeps its first line and its type."""
    parts = list(te.format_exception_only())
    if issubclass(te.exc_type, SyntaxError):
        lines = "".join(parts).splitlines()
        while len(lines) > 1 and lines[0].startswith(" "):
            lines.pop(0)
        return "\n".join(lines)
    return "".join(parts)


def _write_error_record(frame_fd, message, line=None):
    record = '{"error": ' + _json_string(_clip_error(message) or "the program failed")
    if isinstance(line, int) and line > 0:
        record += f', "line": {line}'
    _write_all(frame_fd, (record + "}\n").encode("ascii"))


def _report_error(exc, source, frame_fd):
    try:
        import linecache
        import traceback
        import ast  # noqa: F401  traceback draws its ^^^ markers with it
        linecache.cache[PROGRAM_FILENAME] = (len(source), None, source.splitlines(True), PROGRAM_FILENAME)
        # lookup_lines=False: source lines are read only after the harness frames are gone.
        te = traceback.TracebackException(type(exc), exc, exc.__traceback__, lookup_lines=False)
        _visitor_stack(traceback, te)
        text = "".join(te.format())
        message = _exception_text(te).strip() or type(exc).__name__
        line = te.stack[-1].lineno if te.stack else None
    except BaseException:  # e.g. no memory left to format with: say what we can
        text = message = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
        line = None
        frames = []
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == PROGRAM_FILENAME:
                frames.append(tb.tb_lineno)
            tb = tb.tb_next
        line = frames[-1] if frames else None
    if line is None and isinstance(exc, SyntaxError) and exc.filename == PROGRAM_FILENAME:
        line = exc.lineno
    _sys.stderr.write(text if text.endswith("\n") else text + "\n")
    _sys.stderr.flush()
    _write_error_record(frame_fd, message, line)


def _read_config():
    """The config is the first line on stdin (JSON.stringify writes no raw
    newline). What may follow it is a prepared start's go byte (_await_go),
    returned as read so far."""
    chunks = []
    while True:
        chunk = _os.read(0, 65536)
        if not chunk:
            break
        chunks.append(chunk)
        if b"\n" in chunk:
            break
    line, _, rest = b"".join(chunks).partition(b"\n")
    return _json_loads(line.decode("utf-8")), rest


def _await_go(early, frame_fd):
    """A prepared start (runner.ts, `go`): the program is compiled and the
    filters are loaded; say so on the frame channel (always its first line) and
    block on stdin until the runner lets the program run. One byte: `g` runs
    it; end of input (the run was cancelled, or the app is gone) runs nothing."""
    _write_all(frame_fd, b'{"ready": true}\n')
    go = early[:1] or _os.read(0, 1)
    return go == b"g"


def _apply_limits(config):
    """rlimits (hard = soft, so they cannot be raised again) and niceness, before
    anything of the visitor's runs; stage 2 then refuses prlimit and setpriority."""
    import resource
    for name, value in config["rlimits"].items():
        which = getattr(resource, name)
        _, hard = resource.getrlimit(which)
        # Never above a hard limit someone already set lower (raising it would fail).
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))
    _os.nice(int(config["niceLevel"]))


def run_main():
    config, early_input = _read_config()
    await_go = config.get("awaitGo") is True
    if not await_go:
        _os.close(0)
    _apply_limits(config)
    # Line by line, so what a program printed before the time limit killed it is kept.
    _sys.stdout.reconfigure(line_buffering=True)
    frame_fd = int(config["frameFd"])
    source = config["source"]

    def write_line(text):
        _write_all(frame_fd, text.encode("ascii"))

    api = make_api(int(config["ledCount"]), config["positions"], write_line, float(config["minFrameIntervalS"]))
    namespace = {"__name__": "__main__", "__builtins__": make_builtins(tuple(config.get("allowedModules", ALLOWED_MODULES)))}
    namespace.update(api)

    # Everything the run needs is imported and built; from here on the process
    # may only compute, sleep, write to its open fds and exit. Even compiling
    # the visitor's text happens under stage 2: CPython's parser is hostile-input
    # code too.
    filt, _ = build_filter(config["stage2"])
    filt.load()
    del filt, config
    try:
        code = compile(source, PROGRAM_FILENAME, "exec", dont_inherit=True)
    except SyntaxError as exc:
        _report_error(exc, source, frame_fd)
        return 1
    except BaseException as exc:  # RecursionError/MemoryError on absurd nesting: say so plainly
        message = f"{type(exc).__name__}: the program is nested too deeply to compile; split long expressions into steps"
        _sys.stderr.write(message + "\n")
        _write_error_record(frame_fd, message)
        return 1
    if await_go:
        went = _await_go(early_input, frame_fd)
        _os.close(0)
        if not went:
            return 0
    try:
        exec(code, namespace)
    except SystemExit:
        pass
    except BaseException as exc:  # the visitor's error, reported as theirs
        _report_error(exc, source, frame_fd)
        return 1
    finally:
        _sys.stdout.flush()
    return 0


if __name__ == "__main__":
    mode = _sys.argv[1] if len(_sys.argv) > 1 else "run"
    _sys.exit(compile_filter_main() if mode == "compile-filter" else run_main())
