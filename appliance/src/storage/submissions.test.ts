import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileStem, SubmissionStore, uploadsDirName, type SubmissionRecord } from "./submissions.ts";

const userA = "a".repeat(32);
const userB = "b".repeat(32);
const tempDir = () => mkdtempSync(join(tmpdir(), "tree-store-"));

describe("SubmissionStore", () => {
  it("stores <user_id>_<uuid>.py with its record beside it and reloads both", async () => {
    const dir = tempDir();
    const { store } = await SubmissionStore.open(dir);
    const record = await store.create(userA, "print('hi')\n");
    const uploads = join(dir, uploadsDirName);
    expect(readdirSync(uploads).sort()).toEqual([`${userA}_${record.uuid}.json`, `${userA}_${record.uuid}.py`]);
    expect(readFileSync(join(uploads, `${fileStem(record)}.py`), "utf8")).toBe("print('hi')\n");
    expect(statSync(join(uploads, `${fileStem(record)}.py`)).mode & 0o777).toBe(0o600);
    const onDisk = JSON.parse(readFileSync(join(uploads, `${fileStem(record)}.json`), "utf8"));
    expect(onDisk).toMatchObject({ uuid: record.uuid, language: "python", user_id: userA, status: "pending", timestamp: record.timestamp });

    await store.update(record.uuid, { status: "running", attempts: 1 });
    const reopened = await SubmissionStore.open(dir);
    expect(reopened.report).toEqual({ loaded: 1, corrupt: [], orphans: [] });
    expect(reopened.store.get(record.uuid)).toMatchObject({ status: "running", attempts: 1 });
    expect(await reopened.store.readSource(reopened.store.get(record.uuid)!)).toBe("print('hi')\n");
  });

  it("keeps acceptance order across restarts and continues the sequence", async () => {
    const dir = tempDir();
    const { store } = await SubmissionStore.open(dir);
    const first = await store.create(userA, "a = 1\n");
    const second = await store.create(userB, "b = 2\n");
    const { store: again } = await SubmissionStore.open(dir);
    const third = await again.create(userA, "c = 3\n");
    expect(again.all().map((r) => r.uuid)).toEqual([first.uuid, second.uuid, third.uuid]);
    expect(third.sequence).toBeGreaterThan(second.sequence);
  });

  it("sweeps temp files and orphan programs, and moves unreadable records aside", async () => {
    const dir = tempDir();
    const { store } = await SubmissionStore.open(dir);
    const good = await store.create(userA, "x = 1\n");
    const uploads = join(dir, uploadsDirName);
    writeFileSync(join(uploads, `${userB}_00000000-0000-4000-8000-000000000000.py`), "orphan");
    writeFileSync(join(uploads, "half-written.json.abc.tmp"), "{");
    writeFileSync(join(uploads, `${userB}_11111111-1111-4111-8111-111111111111.json`), "{ torn");
    const { store: reopened, report } = await SubmissionStore.open(dir);
    expect(report.loaded).toBe(1);
    expect(report.orphans).toEqual([`${userB}_00000000-0000-4000-8000-000000000000.py`]);
    expect(report.corrupt).toEqual([`${userB}_11111111-1111-4111-8111-111111111111.json`]);
    expect(reopened.get(good.uuid)).toBeDefined();
    expect(readdirSync(uploads).sort()).toEqual(
      [`${fileStem(good)}.json`, `${fileStem(good)}.py`, `${userB}_11111111-1111-4111-8111-111111111111.json.corrupt`].sort(),
    );
  });

  it("refuses a record whose file name does not match its content", async () => {
    const dir = tempDir();
    const { store } = await SubmissionStore.open(dir);
    const record = await store.create(userA, "x = 1\n");
    const uploads = join(dir, uploadsDirName);
    // Someone renamed the record to claim it for user B.
    writeFileSync(join(uploads, `${userB}_${record.uuid}.json`), readFileSync(join(uploads, `${fileStem(record)}.json`)));
    const { report } = await SubmissionStore.open(dir);
    expect(report.corrupt).toEqual([`${userB}_${record.uuid}.json`]);
  });

  it("prunes the oldest finished submissions beyond the history limit, never pending ones", async () => {
    const dir = tempDir();
    const { store } = await SubmissionStore.open(dir);
    const records = [];
    for (let i = 0; i < 5; i++) records.push(await store.create(userA, `x = ${i}\n`));
    for (const record of records.slice(0, 4)) await store.update(record.uuid, { status: "completed" });
    expect(await store.prune(2)).toBe(2);
    expect(store.all().map((r) => r.uuid)).toEqual([records[2]!.uuid, records[3]!.uuid, records[4]!.uuid]);
    const { store: reopened } = await SubmissionStore.open(dir);
    expect(reopened.all().map((r) => r.uuid)).toEqual([records[2]!.uuid, records[3]!.uuid, records[4]!.uuid]);
    expect(readdirSync(join(dir, uploadsDirName))).toHaveLength(6);
  });

  it("keeps the newest shared submissions beyond the history limit: they are the gallery", async () => {
    const dir = tempDir();
    const { store } = await SubmissionStore.open(dir);
    const records: SubmissionRecord[] = [];
    for (let i = 0; i < 6; i++) records.push(await store.create(userA, `x = ${i}\n`));
    for (const record of records) await store.update(record.uuid, { status: "completed" });
    for (const index of [0, 1, 2]) await store.update(records[index]!.uuid, { shared: { at: new Date().toISOString(), title: `shared ${index}` } });
    // Two shared kept (the newest two), then two of the rest by the history limit.
    expect(await store.prune(2, 2)).toBe(2);
    expect(store.all().map((r) => r.uuid)).toEqual([1, 2, 4, 5].map((index) => records[index]!.uuid));
    const { store: reopened } = await SubmissionStore.open(dir);
    expect(reopened.get(records[2]!.uuid)?.shared?.title).toBe("shared 2");
  });
});
