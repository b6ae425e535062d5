/**
 * runProgram against the real jail: the OS layers hold with the language fence gone (skipCheck, leaked os).
 * Hostile programs use skipCheck so the runtime and OS layers are tested on their own.
 */
import { describe, expect, test } from "vitest";
import { runProgram } from "../../../appliance/src/sandbox/runner.ts";
import { isRoot, testPolicy } from "./helpers.ts";

const run = (source: string, extra: Partial<Parameters<typeof runProgram>[0]> = {}) =>
  runProgram({ source, ledCount: 5, timeLimitMs: 10_000, skipCheck: true, policy: testPolicy(), ...extra });

describe("the OS layer holds when the language fence is gone", () => {
  const leakOs = "import random\nos = random._os\n";

  test("without bwrap's --disable-userns (a container's read-only /proc/sys) the jail still runs and still refuses fork", async () => {
    const host = { uid: process.getuid?.() ?? -1, procSysReadOnly: true };
    const result = await runProgram(
      { source: `${leakOs}setLEDs([BLUE] * getLEDCount())\nos.fork()\n`, ledCount: 5, timeLimitMs: 10_000, skipCheck: true, policy: testPolicy() },
      { host },
    );
    expect(result).toMatchObject({ frames: 1, error: "line 4: PermissionError: [Errno 1] Operation not permitted" });
  });

  test("stage 2 refuses fork with EPERM", async () => {
    const result = await run(`${leakOs}os.fork()\n`);
    expect(result.error).toBe("line 3: PermissionError: [Errno 1] Operation not permitted");
  });

  test("stage 2 kills on execve", async () => {
    const result = await run(`${leakOs}os.execv('/usr/bin/python3', ['python3', '-c', 'print(1)'])\n`);
    expect(result).toMatchObject({ status: "failed", error: "stopped: the program tried an operation the sandbox does not allow" });
  });

  test("stage 2 hides the host's name and kernel: uname is refused", async () => {
    const result = await run(`${leakOs}print(os.uname())\n`);
    expect(result).toMatchObject({ stdout: "", error: "line 3: PermissionError: [Errno 1] Operation not permitted" });
  });

  test("stage 2 refuses fcntl's signal commands (F_SETOWN, F_SETSIG, F_SETOWN_EX) and keeps the descriptor-flag ones Python uses", async () => {
    const source = `${leakOs}import time\nfcntl = time.__loader__.load_module('fcntl')\n` +
      "print(fcntl.fcntl(1, fcntl.F_GETFD) >= 0, fcntl.fcntl(1, fcntl.F_GETFL) >= 0, os.get_inheritable(1) in (True, False))\n" +
      "for command in (8, 10, 15):\n    try:\n        fcntl.fcntl(1, command, 1)\n    except OSError as error:\n        print(command, error.errno)\n";
    const result = await run(source);
    expect(result).toMatchObject({ stdout: "True True True\n8 1\n10 1\n15 1\n" });
  });

  test("sockets are refused", async () => {
    const source = "import time\nsocket = time.__loader__.load_module('_socket')\nsocket.socket(2, 1)\n";
    const result = await run(source);
    expect(result.error).toBe("line 3: PermissionError: [Errno 13] Permission denied");
  });

  test("opening for writing is refused even in /tmp; host files are not there", async () => {
    const source = `${leakOs}for path in ['/etc/passwd', '/etc/shadow', '/home', '/proc/self/environ', '/sys', '/dev/null', '/run']:\n    print(os.path.exists(path))\nos.open('/tmp/x', os.O_WRONLY | os.O_CREAT)\n`;
    const result = await run(source);
    expect(result.stdout).toBe("False\n".repeat(7));
    expect(result.error).toBe("line 5: OSError: [Errno 30] Read-only file system: '/tmp/x'");
  });

  test("the sandbox runs as an unprivileged uid with no capabilities", async () => {
    const policy = testPolicy();
    const result = await run(`${leakOs}print(os.getuid(), os.getgid(), os.getpid())\n`, { policy });
    const uid = isRoot ? policy.sandboxUid : process.getuid!();
    expect(result.stdout).toBe(isRoot ? `${uid} ${policy.sandboxGid} 2\n` : `${uid} ${process.getgid!()} 2\n`);
  });

  test("no executable memory: a native extension cannot even be loaded", async () => {
    const source = "import random\nimp = random.__dict__['__builtins__']['__import__']\nimp('mmap')\n";
    const result = await run(source);
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^line 3: ImportError: .*(failed to map segment|Operation not permitted)/);
  });
});
