/**
 * upload-check.py, as python3 gets it. Compiling its ~900 lines cost about a
 * third of every check's CPU, so it is compiled once per interpreter (our own
 * trusted text, outside any jail) into a marshalled code object; each check's
 * python3 then runs a one-line loader that reads that object from the head of
 * its stdin and executes it, and the script reads the visitor's program from
 * the rest of stdin as before.
 */
import { loadPythonSource } from "../python-source.ts";

export const checkScriptFileName = "upload-check.py";

export function loadCheckScript(): Promise<string> {
  return loadPythonSource(import.meta.url, checkScriptFileName);
}

/** `python3 -c` text: executes the marshalled script whose length in bytes is argv[1] (then dropped, so the script sees its own arguments). */
export const compiledScriptLoader = "import marshal,sys;exec(marshal.loads(sys.stdin.buffer.read(int(sys.argv.pop(1)))))";

const compiled = new Map<string, Promise<Uint8Array>>();

async function compileWith(pythonPath: string): Promise<Uint8Array> {
  const script = await loadCheckScript();
  const child = Bun.spawn([pythonPath, "-I", "-S", "-B", "-c", `import marshal,sys;sys.stdout.buffer.write(marshal.dumps(compile(sys.stdin.buffer.read(),"${checkScriptFileName}","exec")))`], {
    stdin: new TextEncoder().encode(script),
    stdout: "pipe",
    stderr: "pipe",
    env: {},
  });
  const [code, stderr, exitCode] = await Promise.all([new Response(child.stdout).bytes(), new Response(child.stderr).text(), child.exited]);
  if (exitCode !== 0 || code.length === 0) throw new Error(`${pythonPath} could not compile ${checkScriptFileName}: ${stderr.trim().split("\n").at(-1) ?? `exit code ${exitCode}`}`);
  return code;
}

/** The checker compiled by `pythonPath` (marshal's format is the interpreter's own), once. */
export function compiledCheckScript(pythonPath: string): Promise<Uint8Array> {
  let code = compiled.get(pythonPath);
  if (code === undefined) {
    code = compileWith(pythonPath);
    // A failure is not cached: the next check tries again.
    code.catch(() => compiled.delete(pythonPath));
    compiled.set(pythonPath, code);
  }
  return code;
}
