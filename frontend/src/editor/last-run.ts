/**
 * The program this browser last sent to the tree, remembered (id and code) so that when its run
 * stops with an error, the editor can mark the line, as long as the editor still holds that code.
 */
const key = "code-tree.last-run.v1";

export interface LastRun {
  uuid: string;
  code: string;
}

export function rememberRun(run: LastRun): void {
  try {
    localStorage.setItem(key, JSON.stringify(run));
  } catch {
    // Storage disabled: the error is still on the queue page.
  }
}

export function lastRun(): LastRun | undefined {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? "null") as Partial<LastRun> | null;
    if (typeof value?.uuid === "string" && typeof value.code === "string") return { uuid: value.uuid, code: value.code };
  } catch {
    // Unreadable: as if none.
  }
  return undefined;
}

export function forgetRun(): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // As above.
  }
}

/** "line 3: NameError: ..." (how a run's error names its line) → the line and the rest. */
export function runtimeErrorLine(error: string | undefined): { line: number; message: string } | undefined {
  const match = /^line (\d+): ([\s\S]*)$/.exec(error ?? "");
  return match === null ? undefined : { line: Number(match[1]), message: match[2]! };
}
