/**
 * Docker's state after a power cut: tree-host images and docker-recover against stand-ins
 * for docker and systemctl, with real directories moved aside. What is decided: rebuild the
 * storage when Docker fails or the images are gone although the tarballs are intact; never
 * for a tarball damaged on the card (reflash instead); at most once per boot.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { HostSandbox } from "./host-sandbox.ts";

let pi: HostSandbox;
let dockerDir: string;
let containerdDir: string;
beforeEach(() => {
  pi = new HostSandbox();
  dockerDir = join(pi.dir, "docker");
  containerdDir = join(pi.dir, "containerd");
  mkdirSync(join(dockerDir, "image"), { recursive: true });
  writeFileSync(join(dockerDir, "image", "corrupt.db"), "torn");
  mkdirSync(containerdDir);
  for (const name of ["tree-app", "tree-gpio"]) {
    const tarball = join(pi.images, `${name}.tar`);
    writeFileSync(tarball, `${name} image bytes`);
    writeFileSync(`${tarball}.sha256`, `${createHash("sha256").update(`${name} image bytes`).digest("hex")}\n`);
    writeFileSync(`${tarball}.tag`, `${name}:latest\n`);
  }
});
afterEach(() => pi.cleanup());

const recover = () => pi.host("--docker-dir", dockerDir, "--docker-dir", containerdDir, "docker-recover");
const calls = () => pi.calls().map((call) => call.join(" "));
const json = (path: string) => JSON.parse(readFileSync(join(pi.state, path), "utf8"));

test("Docker fails to start: its storage is moved aside, Docker starts afresh, the images are loaded again, the stack restarted", () => {
  pi.setWorld({ dockerOk: false, dockerStarts: true, images: [] });
  const done = recover();
  expect(done.status, done.stdout + done.stderr).toBe(0);
  expect(existsSync(join(`${dockerDir}.broken`, "image", "corrupt.db"))).toBe(true);
  expect(existsSync(dockerDir)).toBe(false);
  expect(existsSync(`${containerdDir}.broken`)).toBe(true);
  const order = calls().filter((call) => call.startsWith("systemctl start") || call.startsWith("docker load") || call.startsWith("systemctl stop"));
  expect(order).toEqual([
    "systemctl stop tree.service docker.socket docker.service containerd.service",
    "systemctl start docker.service",
    `docker load -i ${join(pi.images, "tree-app.tar")}`,
    `docker load -i ${join(pi.images, "tree-gpio.tar")}`,
    "systemctl start --no-block tree.service",
  ]);
  expect(json("docker-recovery.json")).toMatchObject({ result: "recovered" });
  expect(json("images.json")).toMatchObject({ result: "loaded", detail: null });

  // The watcher turns the record into a sentence for the operator.
  pi.writeToml("");
  pi.host("config");
  pi.host("watch", "--once");
  expect(pi.status()!.problems.some((p) => p.startsWith("Docker's storage was damaged (most likely by a power cut) and was rebuilt"))).toBe(true);
});

test("at most once per boot: Docker that still fails is reported, not rebuilt again", () => {
  pi.setWorld({ dockerOk: false, dockerStarts: false, images: [] });
  expect(recover().status).toBe(1);
  expect(json("docker-recovery.json")).toMatchObject({ result: "failed" });
  expect(json("docker-recovery.json").detail).toMatch(/^Docker does not start even with fresh storage/);
  const before = calls().length;
  expect(recover().status).toBe(1);
  expect(json("docker-recovery.json")).toMatchObject({ result: "gave-up" });
  // The second run only asked whether Docker answers: nothing stopped, moved or started.
  expect(calls().slice(before).every((call) => call.startsWith("docker info"))).toBe(true);
  expect(existsSync(`${dockerDir}.broken`)).toBe(true);
});

test("Docker and the images are fine: nothing is touched", () => {
  pi.setWorld({ dockerOk: true, images: ["tree-app:latest", "tree-gpio:latest"] });
  expect(recover().status).toBe(0);
  expect(existsSync(dockerDir)).toBe(true);
  expect(calls().some((call) => call.startsWith("systemctl"))).toBe(false);
});

test("images: a load Docker refuses with intact tarballs asks for the rebuild; a damaged tarball says reflash instead", () => {
  pi.setWorld({ dockerOk: true, images: [], loadFails: true });
  expect(pi.host("images", "--recover").status).toBe(1);
  expect(calls()).toContain("systemctl start --no-block tree-docker-recover.service");
  expect(json("images.json").result).toBe("failed");
  expect(json("images.json").detail).toMatch(/^Docker could not load the shipped images \(tree-app\.tar: Error processing tar file/);

  pi.setWorld({ dockerOk: true, images: [], loadFails: true });
  writeFileSync(join(pi.images, "tree-gpio.tar"), "tree-gpio image bytes, torn by the card");
  writeFileSync(`${pi.worldPath}.calls`, "");
  expect(pi.host("images", "--recover").status).toBe(1);
  expect(calls()).not.toContain("systemctl start --no-block tree-docker-recover.service");
  expect(json("images.json").detail).toBe("The image file(s) tree-gpio.tar on the SD card are damaged: write the tree image to the card again.");
});

test("images: loads each tarball once; loads it again when Docker lost it", () => {
  pi.setWorld({ dockerOk: true, images: [] });
  expect(pi.host("images").status).toBe(0);
  expect(pi.host("images").status).toBe(0);
  expect(calls().filter((call) => call.startsWith("docker load")).length).toBe(2);
  pi.updateWorld((w) => (w.images = ["tree-app:latest"]));
  expect(pi.host("images").status).toBe(0);
  expect(calls().filter((call) => call.startsWith("docker load")).at(-1)).toBe(`docker load -i ${join(pi.images, "tree-gpio.tar")}`);
  expect(json("images.json")).toMatchObject({ result: "loaded" });
});
