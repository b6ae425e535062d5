/**
 * Compose, whichever exists: the v2 plugin (`docker compose`) or Debian's v1
 * (`docker-compose` 1.29, what the Pi runs). compose.yml is written for both.
 */
import { aptInstall, run } from "./shell.ts";

export interface ComposeCli {
  command: readonly string[];
  version: string;
}

function probe(command: readonly string[]): ComposeCli | undefined {
  const result = run([...command, "version", "--short"], { quiet: true, timeoutMs: 30_000 });
  return result.status === 0 ? { command, version: result.stdout.trim() } : undefined;
}

/** Every compose implementation present (for validating the file with each). */
export function allComposeClis(): ComposeCli[] {
  return [probe(["docker", "compose"]), probe(["docker-compose"])].filter((cli): cli is ComposeCli => cli !== undefined);
}

export function ensureCompose(): ComposeCli {
  const found = allComposeClis()[0];
  if (found) return found;
  aptInstall(["docker-compose"]);
  const installed = probe(["docker-compose"]);
  if (!installed) throw new Error("docker-compose is still missing after installing it");
  return installed;
}
