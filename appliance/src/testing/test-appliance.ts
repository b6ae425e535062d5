/**
 * An appliance in a temp data dir for API tests, driven through `app.handle`.
 * The client address comes from a test-only header (the real server reads the
 * socket's peer address); the daemon socket points nowhere unless given.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { createAppliance, type Appliance } from "../appliance.ts";
import { checkProgram, maxUploadBytes } from "../checker/check.ts";
import { loadConfig, type Config } from "../config.ts";
import type { CheckProgram, SandboxStatus } from "../context.ts";
import { ledPositions } from "../layout/positions.ts";
import type { RunProgram } from "../scheduler/job-runner.ts";
import { FakeRunner } from "./fake-runner.ts";

export const testIpHeader = "x-test-client-ip";
export const origin = "http://tree.test";

export interface TestApplianceOptions {
  config?: Partial<Config>;
  dataDir?: string;
  runProgram?: RunProgram;
  checkProgram?: CheckProgram;
  sandbox?: SandboxStatus;
  assets?: Map<string, { body: Uint8Array; contentType: string }>;
  idleShowSource?: string;
}

export interface TestAppliance extends Appliance {
  dataDir: string;
  runner: FakeRunner;
  logs: string[];
  request(path: string, init?: RequestInit & { ip?: string; as?: Visitor }): Promise<Response>;
}

/** A browser: keeps its cookies and User-Agent between requests. */
export class Visitor {
  readonly cookies = new Map<string, string>();
  constructor(readonly userAgent: string, readonly ip = "10.42.0.10") {}

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export async function testAppliance(options: TestApplianceOptions = {}): Promise<TestAppliance> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "tree-app-"));
  // No last-frame hold unless a test asks for one (scheduler/fcfs.ts): API tests run turn after turn.
  const loaded = loadConfig({
    args: ["--data-dir", dataDir, "--gpio-socket", join(dataDir, "no-daemon.sock"), "--idle-show", "false", "--min-show-seconds", "0", "--idle-after-seconds", "0"],
  });
  if (!loaded.ok) throw new Error(loaded.errors.join("\n"));
  const config: Config = { ...loaded.config, ...options.config };
  const runner = new FakeRunner();
  const logs: string[] = [];
  const appliance = await createAppliance({
    config,
    runProgram: options.runProgram ?? runner.run,
    checkProgram: options.checkProgram ?? checkProgram,
    maxUploadBytes,
    sandbox: options.sandbox ?? { ready: true },
    ledPositions,
    assets: options.assets,
    idleShowSource: options.idleShowSource,
    clientIp: (request) => request.headers.get(testIpHeader) ?? "127.0.0.1",
    log: (message) => logs.push(message),
  });
  await appliance.start();
  return {
    ...appliance,
    dataDir,
    runner,
    logs,
    async request(path, init = {}) {
      const headers = new Headers(init.headers);
      const visitor = init.as;
      headers.set(testIpHeader, init.ip ?? visitor?.ip ?? "127.0.0.1");
      if (visitor !== undefined) {
        headers.set("user-agent", visitor.userAgent);
        if (visitor.cookies.size > 0 && !headers.has("cookie")) headers.set("cookie", visitor.header());
      }
      const response = await appliance.app.handle(new Request(`${origin}${path}`, { ...init, headers }));
      visitor?.remember(response);
      return response;
    },
  };
}

export const jsonUpload = (code: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ code }),
});

/** The seed's example program, verbatim. */
export const seedExample = `led_count = getLEDCount()
states = [[0, 0, 255, 100] for _ in range(led_count)]  # Set all LEDs to blue
# or states = [BLUE] * led_count
setLEDs(states)
`;

/**
 * The test appliances a test file starts, each stopped after its test: push every one started.
 * Call once, at the top level of the file.
 */
export function stopAfterEach(): TestAppliance[] {
  const running: TestAppliance[] = [];
  afterEach(async () => {
    for (const appliance of running.splice(0)) await appliance.stop();
  });
  return running;
}
