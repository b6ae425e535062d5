/** The `stack` section of the container smoke test (see run.ts). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { baseImage } from "./base-image.ts";
import { ensureCompose } from "./compose-cli.ts";
import { ensureDockerEngine } from "./docker-engine.ts";
import { must, run, waitFor } from "./shell.ts";
import {
  appContainer, appImage, buildImages, gpioImage, repoRoot, type Check, daemonSnapshot, ensureBinaries, exec, gpioContainer, inspect, ledColours,
  smokeColour, smokeLedCount, smokeProgram, Stack, waitHealthy,
} from "./stack.ts";

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** Every process in the app container: pid, uid and effective capabilities. */
function appProcesses(): { pid: string; line: string }[] {
  const script = 'for s in /proc/[0-9]*/status; do [ -r "$s" ] && printf "%s %s\\n" "$s" "$(grep -E "^(Uid|CapEff|NoNewPrivs|Seccomp):" "$s" | tr -s "\\t\\n" "  ")"; done';
  const result = must(["docker", "exec", appContainer, "sh", "-c", script]);
  return result.stdout.trim().split("\n").map((line) => ({ pid: line.split(" ")[0]!, line }));
}

async function uploadAndWatch(stack: Stack): Promise<void> {
  const response = await fetch(stack.url("/upload"), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ code: smokeProgram }),
  });
  const text = await response.text();
  console.log(`  POST /upload → ${response.status} ${text.slice(0, 200)}`);
  expect(response.status === 201, `upload answered ${response.status}: ${text}`);
  const { uuid } = JSON.parse(text) as { uuid: string };
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  const seen = await waitFor("the program's colour on the daemon's strip", 90_000, () => {
    const snapshot = daemonSnapshot();
    const leds = ledColours(snapshot);
    return leds.length === smokeLedCount && leds.every((led) => led.join() === smokeColour.join()) ? snapshot : undefined;
  });
  console.log(`  the strip shows rgb(${smokeColour.join(", ")}) on all ${smokeLedCount} LEDs after ${seen.frames} frames`);
  const view = await fetch(stack.url(`/api/submissions/${uuid}`), { headers: cookie ? { cookie } : {} });
  const body = (await view.json()) as { status?: string };
  console.log(`  GET /api/submissions/${uuid} → ${view.status} status=${body.status}`);
  expect(view.status === 200 && (body.status === "running" || body.status === "completed"), `submission is ${body.status}`);
}

interface SandboxResult {
  status: string;
  frames: number;
  stdout: string;
  error?: string;
}

function sandboxRun(source: string, extra: readonly string[] = []): SandboxResult {
  const path = `/tmp/smoke-${process.pid}-${Math.random().toString(16).slice(2)}.py`;
  must(["docker", "exec", "-i", appContainer, "sh", "-c", `cat > ${path}`], { input: source, quiet: true });
  const result = exec(appContainer, ["tree-app", "run", path, "--led-count", String(smokeLedCount), "--time-limit", "10", ...extra]);
  const last = result.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(last) as SandboxResult;
  } catch {
    throw new Error(`tree-app run printed no result (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
}

/** Waits for the daemon's socket in a container started outside compose. */
function waitHealthySync(container: string): void {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (run(["docker", "exec", container, "/usr/local/bin/tree-probe", "socket", "/run/tree/gpio.sock", '{"type":"info"}'], { quiet: true }).status === 0) return;
    Bun.sleepSync(500);
  }
  throw new Error(`${container} never answered on its socket:\n${run(["docker", "logs", container]).stderr}`);
}

/** tree-host's image loader (systemd/tree-firstboot.service) against the real engine. */
function firstBootImageLoad(): void {
  const tag = "tree-smoke-load:latest";
  const dir = mkdtempSync(join(tmpdir(), "tree-images-"));
  const host = ["/usr/bin/python3", join(repoRoot, "systemd", "tree-host.py"), "--images-dir", join(dir, "images"), "--state-dir", join(dir, "state"), "images"];
  try {
    mkdirSync(join(dir, "images"));
    must(["docker", "tag", baseImage, tag]);
    must(["docker", "save", "--output", join(dir, "images", "smoke.tar"), tag]);
    writeFileSync(join(dir, "images", "smoke.tar.tag"), `${tag}\n`);
    must(["docker", "rmi", tag]);
    const first = must(host);
    expect(first.stdout.includes("docker load"), `the first boot did not load the image: ${first.stdout}`);
    must(["docker", "image", "inspect", tag], { quiet: true });
    const second = must(host);
    expect(!second.stdout.includes("docker load"), "a loaded image was loaded again");
    must(["docker", "rmi", tag]);
    const third = must(host);
    expect(third.stdout.includes("docker load"), "a lost image was not loaded again");
  } finally {
    run(["docker", "rmi", tag], { quiet: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function stackChecks(check: Check): Promise<void> {
  const engine = await ensureDockerEngine();
  try {
    const compose = ensureCompose();
    console.log(`  compose: ${compose.command.join(" ")} ${compose.version}`);
    ensureBinaries();
    buildImages();
    const stack = await Stack.create(compose);
    stack.down();
    let healthy = false;
    try {
      stack.up();
      await check("both containers start and turn healthy", async () => {
        await waitHealthy(gpioContainer);
        await waitHealthy(appContainer);
        healthy = true;
      });
      if (!healthy) throw new Error("the stack never turned healthy");

      await check("the editor is served on the published port", async () => {
        const response = await fetch(stack.url("/"));
        expect(response.status === 200, `GET / answered ${response.status}`);
        expect((response.headers.get("content-type") ?? "").includes("text/html"), "GET / is not HTML");
        const health = (await (await fetch(stack.url("/api/health"))).json()) as { tree?: { online?: boolean } };
        expect(health.tree?.online === true, `the app does not reach the daemon: ${JSON.stringify(health)}`);
      });

      await check("the app's sandbox self-test passes inside the container (GET /api/health)", async () => {
        const health = (await (await fetch(stack.url("/api/health"))).json()) as { sandbox?: { ready?: boolean; reason?: string } };
        expect(health.sandbox?.ready === true, `the sandbox is not ready: ${health.sandbox?.reason ?? JSON.stringify(health)}`);
      });

      await check("an uploaded program's frames reach the simulated strip", () => uploadAndWatch(stack));

      await check("the app container runs unprivileged: no capabilities, no-new-privs, seccomp, non-root", () => {
        const processes = appProcesses();
        expect(processes.length >= 2, `expected tini and tree-app, saw ${processes.length} processes`);
        for (const { line } of processes) {
          expect(/CapEff:\s+0000000000000000/.test(line), `a process has capabilities: ${line}`);
          expect(/NoNewPrivs:\s+1/.test(line), `no-new-privileges is off: ${line}`);
          expect(/Seccomp:\s+2/.test(line), `not under a seccomp filter: ${line}`);
          expect(!/Uid:\s+0\s/.test(line), `a process runs as root: ${line}`);
        }
        expect(inspect(appContainer, "{{.HostConfig.ReadonlyRootfs}}") === "true", "the root filesystem is writable");
        const write = exec(appContainer, ["sh", "-c", "touch /usr/local/bin/x"]);
        expect(write.status !== 0, "the app could write to its image");
      });

      await check("the app container cannot open the daemon's devices", () => {
        for (const device of ["/dev/mem", "/dev/vcio", "/dev/gpiomem", "/dev/spidev0.0"]) {
          const open = exec(appContainer, ["sh", "-c", `exec 3<>${device}`]);
          expect(open.status !== 0, `the app container opened ${device}`);
        }
        // Nor make one: no CAP_MKNOD, and the device cgroup refuses /dev/mem (char 1:1) to root too.
        const mknod = exec(appContainer, ["sh", "-c", "mknod /tmp/mem c 1 1 && exec 3<>/tmp/mem"]);
        expect(mknod.status !== 0, "the app container created and opened /dev/mem");
        const asRoot = run(["docker", "exec", "--user", "0", appContainer, "sh", "-c", "mknod /tmp/mem c 1 1 && exec 3<>/tmp/mem"]);
        expect(asRoot.status !== 0, "root in the app container created and opened /dev/mem");
      });

      await check("the sandbox works inside the app container (tree-app run)", () => {
        const result = sandboxRun(smokeProgram.replace("range(200)", "range(5)"));
        console.log(`  → ${JSON.stringify(result)}`);
        expect(result.status === "completed", `the sandboxed run ended "${result.status}": ${result.error ?? ""}`);
        expect(result.frames > 0, "the sandboxed run sent no frames");
      });

      await check("a sandboxed program cannot reach the daemon's socket or the data volume", () => {
        // Assume the interpreter is owned (FACTS: random._os is os): look with whatever the
        // program can reach, and report what it saw on stdout.
        const probe = [
          "import random",
          "seen = []",
          "try:",
          "    os_module = random._os",
          "except Exception:",
          "    os_module = None",
          // /usr/bin is bound into the jail: it shows the probe could look at all.
          "for path in ('/usr/bin', '/run/tree/gpio.sock', '/run/tree', '/var/lib/tree', '/dev/mem'):",
          "    try:",
          "        os_module.stat(path)",
          "        seen.append(path)",
          "    except Exception:",
          "        pass",
          "print('visible:' + ','.join(seen))",
          "setLEDs([[0, 0, 0, 0]] * getLEDCount())",
          "",
        ].join("\n");
        const result = sandboxRun(probe, ["--skip-check"]);
        console.log(`  → ${JSON.stringify(result)}`);
        expect(result.status === "completed", `the probe did not run: ${result.error ?? result.status}`);
        const seen = /^visible:(.*)$/m.exec(result.stdout)?.[1];
        expect(seen !== undefined, `the probe printed nothing: ${result.stdout}`);
        const forbidden = seen!.split(",").filter((path) => path !== "" && path !== "/usr/bin");
        expect(forbidden.length === 0, `the jail shows ${forbidden.join(", ")}`);
        console.log(seen === "/usr/bin" ? "  the probe could stat files (it owns os) and saw only /usr/bin" : "  the probe could not reach os at all");
      });

      await check("without docker/seccomp/app.json (Docker's default profile) the sandbox cannot start", () => {
        // The same confinement as compose.yml minus our profile: proves the profile is what
        // lets bwrap work, rather than something else granting more than intended.
        const result = run(["docker", "run", "--rm", "-i", "--user", "10001:10000", "--cap-drop", "ALL", "--security-opt", "no-new-privileges:true",
          "--read-only", "--tmpfs", "/tmp:exec", "--init", "--entrypoint", "sh", appImage, "-c",
          `cat > /tmp/p.py && tree-app run /tmp/p.py --led-count ${smokeLedCount} --time-limit 10`], { input: smokeProgram.replace("range(200)", "range(2)") });
        const last = result.stdout.trim().split("\n").at(-1) ?? "";
        console.log(`  → ${last.slice(0, 300)}`);
        // The upload-time check runs in the same jail, so it is the first to be refused: "rejected", with bwrap's reason.
        expect(/"status":"(failed|rejected)"/.test(last) && /namespace|Operation not permitted/.test(last), "the sandbox ran under Docker's default seccomp profile");
      });

      await check("a hung daemon is stopped by its health check and restarted", async () => {
        const before = Number(inspect(gpioContainer, "{{.RestartCount}}"));
        // Freeze the daemon (not tini, PID 1): it stays alive but answers nothing.
        must(["docker", "exec", gpioContainer, "sh", "-c",
          'for s in /proc/[0-9]*/stat; do read -r line < "$s" || continue; case "$line" in *"(tree-gpio)"*) kill -STOP "${line%% *}";; esac; done']);
        await waitFor("the gpio container to restart", 120_000, () =>
          Number(inspect(gpioContainer, "{{.RestartCount}}")) > before ? true : undefined);
        await waitHealthy(gpioContainer);
        console.log(`  restart count ${before} → ${inspect(gpioContainer, "{{.RestartCount}}")}`);
      });
      await check("the ws281x daemon's identity (root, only CAP_SYS_RAWIO) can serve a socket the app user can use", () => {
        // docker/compose.pwm.yml's user and capabilities, on a volume made with the very
        // options compose gave tree-run; /dev/mem and /dev/vcio are not on this machine.
        const options = JSON.parse(inspect(`${stack.env.COMPOSE_PROJECT_NAME}_tree-run`, "{{json .Options}}")) as Record<string, string>;
        const volume = `tree-smoke-pwm-${process.pid}`;
        const container = `tree-smoke-pwm-${process.pid}`;
        try {
          must(["docker", "volume", "create", ...Object.entries(options).flatMap(([key, value]) => ["--opt", `${key}=${value}`]), volume]);
          must(["docker", "run", "--detach", "--name", container, "--init", "--user", "0:10000", "--cap-drop", "ALL", "--cap-add", "SYS_RAWIO",
            "--security-opt", "no-new-privileges:true", "--read-only", "--volume", `${volume}:/run/tree`, "--env", `TREE_GPIO_LED_COUNT=${smokeLedCount}`, gpioImage]);
          waitHealthySync(container);
          const asApp = run(["docker", "run", "--rm", "--user", "10001:10000", "--cap-drop", "ALL", "--volume", `${volume}:/run/tree`, "--entrypoint", "/usr/local/bin/tree-probe",
            appImage, "socket", "/run/tree/gpio.sock", '{"type":"info"}']);
          expect(asApp.status === 0, `the app user cannot use the root daemon's socket: ${asApp.stdout}${asApp.stderr}`);
        } finally {
          run(["docker", "rm", "--force", container], { quiet: true });
          run(["docker", "volume", "rm", volume], { quiet: true });
        }
      });

      await check("first boot: tree-host images loads a docker-save tarball once, and again when it is gone", () => firstBootImageLoad());
    } catch (error) {
      stack.logs();
      throw error;
    } finally {
      if (!healthy) stack.logs();
      stack.down();
    }
  } finally {
    await engine.stop();
  }
}
