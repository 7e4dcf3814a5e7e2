import * as fs from "node:fs";
import { readdir, readFile, truncate, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { StoredMessage, StoreFileSystem } from "../src/index.js";
import { encodeRecords, HEADER } from "../src/record.js";
import { listAll, rejection, scratch, sha256 } from "./helpers.js";

const tmp = scratch();
afterEach(() => tmp.cleanup());
const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 20);

/** A closed log holding `texts`, with its bytes and where each record starts. */
async function writeLog(texts: string[]) {
  const file = await tmp.file();
  const store = await tmp.open(file);
  const messages: StoredMessage[] = [];
  for (const text of texts) messages.push(await store.append(text));
  await store.close();
  const bytes = await readFile(file);
  const starts: number[] = [];
  for (let i = bytes.indexOf(10) + 1; i < bytes.length; i = bytes.indexOf(10, i) + 1)
    starts.push(i);
  return { file, bytes, starts, messages };
}

async function sideFiles(file: string): Promise<string[]> {
  const name = basename(file);
  return (await readdir(dirname(file))).filter((f) => f.startsWith(name) && f !== name);
}

describe("torn tail", () => {
  it("recovers a log torn at every byte offset of its last record", async () => {
    const { bytes, starts, messages } = await writeLog(["first", "second", "last: ünïcødé 🎉\n"]);
    const last = starts.at(-1)!;
    const folder = await tmp.folder();
    for (let cut = last + 1; cut < bytes.length; cut++) {
      const file = join(folder, `cut-${cut}.log`);
      await writeFile(file, bytes.subarray(0, cut));
      const warnings: string[] = [];
      const store = await tmp.open(file, { onWarning: (w) => warnings.push(w) });
      expect(await listAll(store)).toEqual(messages.slice(0, -1));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(
        `torn last record of ${cut - last} bytes at byte offset ${last}`,
      );
      const [aside, ...others] = (await sideFiles(file)).filter((f) => f.includes(".torn-"));
      expect(others).toEqual([]);
      expect(await readFile(join(folder, aside!))).toEqual(bytes.subarray(last, cut));
      expect(await readFile(file)).toEqual(bytes.subarray(0, last));
      if (cut === last + 1 || cut === bytes.length - 1) {
        // The torn record was never acknowledged, so its id is free again.
        expect((await store.append("again")).id).toBe(messages.at(-1)!.id);
      }
      await store.close();
    }
  });

  it("completes a header torn while the file was being created", async () => {
    const folder = await tmp.folder();
    for (let cut = 0; cut < HEADER.length; cut++) {
      const file = join(folder, `header-${cut}.log`);
      await writeFile(file, HEADER.slice(0, cut));
      const warnings: string[] = [];
      const store = await tmp.open(file, { onWarning: (w) => warnings.push(w) });
      expect(await listAll(store)).toEqual([]);
      expect(warnings).toHaveLength(cut === 0 ? 0 : 1);
      await store.append("works");
      await store.close();
      expect((await readFile(file, "utf8")).startsWith(HEADER)).toBe(true);
    }
  });

  it("opens a clean log without warnings or side files", async () => {
    const { file, messages } = await writeLog(["a", "b"]);
    const warnings: string[] = [];
    const store = await tmp.open(file, { onWarning: (w) => warnings.push(w) });
    expect(await listAll(store)).toEqual(messages);
    expect(warnings).toEqual([]);
    expect(await sideFiles(file)).toEqual([`${basename(file)}.lock`]);
  });
});

describe("corruption", () => {
  async function expectRefused(file: string, offset: number, code = "WW_STORE_CORRUPT") {
    const before = await sha256(file);
    const err = await rejection(tmp.open(file));
    expect(err).toMatchObject({ name: "MessageStoreError", code, file, offset });
    expect(String(err.message)).toContain("left untouched");
    expect(await sha256(file)).toBe(before);
    expect(await sideFiles(file)).toEqual([]); // no quarantine, and the lock was released
  }

  it("refuses a log with any bit flipped in a middle record, leaving it byte-identical", async () => {
    const { file, bytes, starts } = await writeLog(["one", "two", "three ünï", "four", "five"]);
    const start = starts[2]!;
    const end = starts[3]!;
    for (let at = start; at < end; at++) {
      for (const mask of [0x01, 0x80]) {
        const damaged = Buffer.from(bytes);
        damaged[at]! ^= mask;
        await writeFile(file, damaged);
        await expectRefused(file, start);
      }
    }
  });

  it("treats a damaged last record that ends in a newline as corruption, not a torn tail", async () => {
    const { file, bytes, starts } = await writeLog(["one", "two"]);
    const damaged = Buffer.from(bytes);
    damaged[bytes.length - 4]! ^= 0x04;
    await writeFile(file, damaged);
    await expectRefused(file, starts[1]!);
  });

  it("refuses a record whose checksum matches but whose sequence number goes back", async () => {
    const file = await tmp.file();
    const records = encodeRecords([
      { seq: 5, postedAt: "2026-11-23T00:00:00.000Z", text: "a" },
      { seq: 5, postedAt: "2026-11-23T00:00:00.000Z", text: "b" },
    ]);
    await writeFile(file, Buffer.concat([Buffer.from(HEADER), records]));
    await expectRefused(file, HEADER.length + records.indexOf(10) + 1);
  });

  it.each([
    ["not a log", "hello world\n"],
    ["no newline, not a header", "hello"],
    ["an empty first line", "\nwireweb-messages 1\n"],
    ["a blank record line", `${HEADER}\n`],
  ])("refuses %s", async (_name, content) => {
    const file = await tmp.file();
    await writeFile(file, content);
    const before = await sha256(file);
    expect((await rejection(tmp.open(file))).code).toBe("WW_STORE_CORRUPT");
    expect(await sha256(file)).toBe(before);
  });

  it("refuses a newer format version with WW_STORE_UNSUPPORTED_VERSION", async () => {
    const file = await tmp.file();
    await writeFile(file, "wireweb-messages 2\nwhatever\n");
    await expectRefused(file, 0, "WW_STORE_UNSUPPORTED_VERSION");
  });

  it("refuses random damage anywhere before the tail, or recovers only a torn tail", async () => {
    const { file, bytes, starts, messages } = await writeLog(["a", "bb", "ccc", "dddd", "eeeee"]);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, mask) => {
          const damaged = Buffer.from(bytes);
          damaged[at]! ^= mask;
          await writeFile(file, damaged);
          const before = await sha256(file);
          try {
            const store = await tmp.open(file);
            // Only a damaged final newline can open: the last record becomes a torn tail.
            expect(at).toBe(bytes.length - 1);
            expect(await listAll(store)).toEqual(messages.slice(0, -1));
            await store.close();
            for (const f of await sideFiles(file)) await unlink(join(dirname(file), f));
          } catch (err) {
            expect((err as { code: string }).code).toMatch(/^WW_STORE_(CORRUPT|UNSUPPORTED)/);
            expect((err as { offset: number }).offset).toBe(
              at < starts[0]! ? 0 : starts.findLast((s) => s <= at),
            );
            expect(await sha256(file)).toBe(before);
          }
        },
      ),
      { numRuns: RUNS * 5 },
    );
  });
});

/** node:fs with switches to make writes or syncs fail, counting the syncs. */
function faultyFs() {
  const state = { failWrite: false, failSync: false, syncs: 0 };
  const fail = (what: string) => Object.assign(new Error(`${what} failed: EIO`), { code: "EIO" });
  const layer: Partial<StoreFileSystem> = {
    write: (fd, buffer, offset, length, position) =>
      new Promise((resolve, reject) => {
        if (state.failWrite) return reject(fail("write"));
        fs.write(fd, buffer, offset, length, position, (e, n) => (e ? reject(e) : resolve(n)));
      }),
    fdatasync: (fd) =>
      new Promise((resolve, reject) => {
        state.syncs++;
        if (state.failSync) return reject(fail("fdatasync"));
        fs.fdatasync(fd, (e) => (e ? reject(e) : resolve()));
      }),
    fsync: (fd) =>
      new Promise((resolve, reject) => {
        state.syncs++;
        if (state.failSync) return reject(fail("fsync"));
        fs.fsync(fd, (e) => (e ? reject(e) : resolve()));
      }),
  };
  return { state, layer };
}

describe("write failures", () => {
  it.each(["failSync", "failWrite"] as const)(
    "%s: rejects the whole batch with WW_STORE_READ_ONLY and never retries",
    async (switchName) => {
      const file = await tmp.file();
      const { state, layer } = faultyFs();
      const store = await tmp.open(file, { fs: layer });
      const kept = await store.append("kept");
      state[switchName] = true;
      const batch = await Promise.allSettled([store.append("a"), store.append("b")]);
      for (const result of batch) {
        expect(result.status).toBe("rejected");
        const reason = (result as PromiseRejectedResult).reason;
        expect(reason).toMatchObject({ code: "WW_STORE_READ_ONLY", file });
        expect(reason.cause).toMatchObject({ code: "EIO" });
      }
      const syncs = state.syncs;
      state[switchName] = false; // the disk "recovers": the store must stay read-only anyway
      expect((await rejection(store.append("later"))).code).toBe("WW_STORE_READ_ONLY");
      expect((await rejection(store.clear())).code).toBe("WW_STORE_READ_ONLY");
      expect(state.syncs).toBe(syncs);
      expect(await listAll(store)).toEqual([kept]);
      await store.close();
      const again = await tmp.open(file);
      expect((await listAll(again)).map((m) => m.text)).toContain("kept");
    },
  );

  it("a clear whose fsync fails is rejected and leaves the log's messages in place", async () => {
    const file = await tmp.file();
    const { state, layer } = faultyFs();
    const store = await tmp.open(file, { fs: layer });
    await store.append("survives");
    state.failSync = true;
    expect((await rejection(store.clear())).code).toBe("WW_STORE_READ_ONLY");
    await store.close();
    const again = await tmp.open(file);
    expect((await listAll(again)).map((m) => m.text)).toEqual(["survives"]);
  });
});

describe("simulated power loss (only synced bytes are sure to survive)", () => {
  it("keeps every acknowledged append when the unsynced tail is cut anywhere", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (crashAfterSyncs, keep) => {
          const file = await tmp.file();
          let synced = 0;
          let written = 0;
          let syncs = 0;
          let crashed = false;
          const crash = () => Object.assign(new Error("power lost"), { code: "EIO" });
          const layer: Partial<StoreFileSystem> = {
            write: (fd, buffer, offset, length, position) =>
              new Promise((resolve, reject) => {
                if (crashed) return reject(crash());
                fs.write(fd, buffer, offset, length, position, (e, n) => {
                  if (e) return reject(e);
                  written = Math.max(written, position + n);
                  resolve(n);
                });
              }),
            fdatasync: (fd) =>
              new Promise((resolve, reject) => {
                if (crashed || syncs++ === crashAfterSyncs) {
                  crashed = true;
                  return reject(crash());
                }
                fs.fdatasync(fd, (e) => {
                  if (e) return reject(e);
                  synced = written;
                  resolve();
                });
              }),
          };
          const store = await tmp.open(file, { fs: layer });
          synced = written = (await readFile(file)).length;
          const acked: StoredMessage[] = [];
          const writers = Array.from({ length: 8 }, async (_, w) => {
            for (let i = 0; !crashed && i < 50; i++) {
              try {
                acked.push(await store.append(`writer ${w} message ${i}`));
              } catch {
                return;
              }
            }
          });
          await Promise.all(writers);
          await store.close();
          // The "crash": whatever was written but not synced survives only as a random prefix.
          await truncate(file, synced + Math.floor(keep * (written - synced)));
          const again = await tmp.open(file);
          const survivors = new Map((await listAll(again)).map((m) => [m.id, m]));
          for (const message of acked) expect(survivors.get(message.id)).toEqual(message);
          await again.close();
        },
      ),
      { numRuns: RUNS },
    );
  });
});
