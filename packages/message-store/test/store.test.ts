import { execFileSync } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_LIST_LIMIT, MessageStoreError, type StoreEvent } from "../src/index.js";
import { listAll, rejection, scratch } from "./helpers.js";

const tmp = scratch();
afterEach(() => tmp.cleanup());
const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 15);

describe("append", () => {
  it("resolves with a store-assigned id and ISO 8601 UTC time with milliseconds", async () => {
    const store = await tmp.open(await tmp.file());
    const before = Date.now();
    const message = await store.append("hello");
    expect(message.text).toBe("hello");
    expect(message.id).toBe("1");
    expect(message.postedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(message.postedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(store.durability).toBe("fsync");
  });

  it("writes a log a person can read: header, then `<crc32> <json>` lines", async () => {
    const file = await tmp.file();
    const store = await tmp.open(file);
    await store.append('line 1\nline 2 "quoted"');
    const lines = (await readFile(file, "utf8")).split("\n");
    expect(lines[0]).toBe("wireweb-messages 1");
    expect(lines[1]).toMatch(/^[0-9a-f]{8} \{"seq":1,"postedAt":"[^"]+","text":"line 1\\nline 2/);
    expect(lines[2]).toBe("");
  });

  it("creates the file's folder when missing", async () => {
    const folder = await tmp.folder();
    const store = await tmp.open(join(folder, "a", "b", "board.log"));
    await store.append("x");
    expect(await readdir(join(folder, "a", "b"))).toContain("board.log");
  });

  it("keeps every text exactly across a reopen (any Unicode, quotes, newlines)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: "binary", maxLength: 200 }), { maxLength: 20 }),
        async (generated) => {
          const texts = [...generated, "\ud800 lone \udfff", '\u2028\u0000\\"', ""];
          const file = await tmp.file();
          const store = await tmp.open(file, { maxMessageBytes: 10_000 });
          const written = await Promise.all(texts.map((t) => store.append(t)));
          await store.close();
          const again = await tmp.open(file);
          expect(await listAll(again)).toEqual(written);
          await again.close();
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("gives 1000 concurrent appends distinct, rising ids in one or a few fsyncs", async () => {
    let syncs = 0;
    const file = await tmp.file();
    const store = await tmp.open(file, {
      fs: {
        fdatasync: async (fd) => {
          syncs++;
          await new Promise<void>((resolve, reject) =>
            import("node:fs").then((fs) => fs.fdatasync(fd, (e) => (e ? reject(e) : resolve()))),
          );
        },
      },
    });
    const texts = Array.from({ length: 1000 }, (_, i) => `message ${i}`);
    const messages = await Promise.all(texts.map((t) => store.append(t)));
    expect(messages.map((m) => m.text)).toEqual(texts);
    expect(messages.map((m) => Number(m.id))).toEqual(texts.map((_, i) => i + 1));
    expect(syncs).toBeLessThanOrEqual(3);
    expect(await listAll(store)).toEqual(messages);
  });

  it("rejects a text over maxMessageBytes (UTF-8 bytes) with WW_STORE_MESSAGE_TOO_LARGE", async () => {
    const store = await tmp.open(await tmp.file(), { maxMessageBytes: 8 });
    await expect(store.append("12345678")).resolves.toMatchObject({ text: "12345678" });
    const err = await rejection(store.append("ééééé")); // 10 bytes, 5 characters
    expect(err).toBeInstanceOf(MessageStoreError);
    expect(err.code).toBe("WW_STORE_MESSAGE_TOO_LARGE");
    expect(await listAll(store)).toHaveLength(1);
  });

  it("rejects a non-string text with TypeError", async () => {
    const store = await tmp.open(await tmp.file());
    await expect(store.append(42 as unknown as string)).rejects.toThrow(TypeError);
  });
});

describe("list", () => {
  async function storeWith(n: number) {
    const store = await tmp.open(await tmp.file());
    await Promise.all(Array.from({ length: n }, (_, i) => store.append(`m${i + 1}`)));
    return store;
  }
  const ids = (page: { messages: { id: string }[] }) => page.messages.map((m) => m.id);

  it.each([
    { options: {}, messages: ["1", "2", "3", "4", "5", "6", "7"], next: undefined },
    { options: { limit: 3 }, messages: ["5", "6", "7"], next: "5" },
    { options: { limit: 3, before: "5" }, messages: ["2", "3", "4"], next: "2" },
    { options: { limit: 3, before: "2" }, messages: ["1"], next: undefined },
    { options: { limit: 3, before: "4" }, messages: ["1", "2", "3"], next: undefined },
    { options: { limit: 3, before: "1" }, messages: [], next: undefined },
    { options: { limit: 3, before: "99" }, messages: ["5", "6", "7"], next: "5" },
    { options: { limit: 3, after: "0" }, messages: ["1", "2", "3"], next: "3" },
    { options: { limit: 3, after: "3" }, messages: ["4", "5", "6"], next: "6" },
    { options: { limit: 3, after: "4" }, messages: ["5", "6", "7"], next: undefined },
    { options: { limit: 3, after: "7" }, messages: [], next: undefined },
  ])("pages $options → $messages next $next", async ({ options, messages, next }) => {
    const store = await storeWith(7);
    const page = await store.list(options);
    expect(ids(page)).toEqual(messages);
    expect(page.next).toBe(next);
  });

  it("walks every message exactly once following next, in both directions", async () => {
    const store = await storeWith(25);
    const backwards: string[] = [];
    let page = await store.list({ limit: 4 });
    for (;;) {
      backwards.unshift(...ids(page));
      if (page.next === undefined) break;
      page = await store.list({ limit: 4, before: page.next });
    }
    const forwards: string[] = [];
    page = await store.list({ limit: 4, after: "0" });
    for (;;) {
      forwards.push(...ids(page));
      if (page.next === undefined) break;
      page = await store.list({ limit: 4, after: page.next });
    }
    const all = Array.from({ length: 25 }, (_, i) => String(i + 1));
    expect(backwards).toEqual(all);
    expect(forwards).toEqual(all);
  });

  it.each(["", "abc", "-1", "01", "1.5", " 1", "1e3", "9999999999999999"])(
    "refuses cursor %j with WW_STORE_INVALID_CURSOR",
    async (cursor) => {
      const store = await storeWith(1);
      expect((await rejection(store.list({ before: cursor }))).code).toBe(
        "WW_STORE_INVALID_CURSOR",
      );
      expect((await rejection(store.list({ after: cursor }))).code).toBe("WW_STORE_INVALID_CURSOR");
    },
  );

  it.each([0, -1, 1.5, MAX_LIST_LIMIT + 1, Number.NaN])(
    "refuses limit %s with RangeError",
    async (limit) => {
      const store = await storeWith(1);
      await expect(store.list({ limit })).rejects.toThrow(RangeError);
    },
  );

  it("refuses before and after together with TypeError", async () => {
    const store = await storeWith(1);
    await expect(store.list({ before: "1", after: "0" })).rejects.toThrow(TypeError);
  });

  it("returns up to 100000 messages in one page", async () => {
    const store = await tmp.open(await tmp.file());
    const texts = Array.from({ length: MAX_LIST_LIMIT + 5 }, (_, i) => `m${i}`);
    await Promise.all(texts.map((t) => store.append(t)));
    const page = await store.list({ limit: MAX_LIST_LIMIT });
    expect(page.messages).toHaveLength(MAX_LIST_LIMIT);
    expect(page.messages[0]!.text).toBe("m5");
    expect(page.next).toBe("6");
  });
});

describe("clear", () => {
  it("empties the board durably, keeps ids rising, and leaves no cleared text on disk", async () => {
    const file = await tmp.file();
    const store = await tmp.open(file);
    await store.append("secret 1");
    await store.append("secret 2");
    expect(await store.clear()).toEqual({ id: "3" });
    expect(await listAll(store)).toEqual([]);
    expect((await store.append("after")).id).toBe("4");
    expect(await readFile(file, "utf8")).not.toContain("secret");
    await store.close();
    const again = await tmp.open(file);
    expect((await listAll(again)).map((m) => m.text)).toEqual(["after"]);
    expect((await again.append("next")).id).toBe("5");
    expect((await again.list({ after: "1" })).messages.map((m) => m.id)).toEqual(["4", "5"]);
  });

  it("orders appends and clears as called, even when queued together", async () => {
    const store = await tmp.open(await tmp.file());
    const results = await Promise.all([
      store.append("a"),
      store.clear(),
      store.append("b"),
      store.append("c"),
    ]);
    expect(results.map((r) => r.id)).toEqual(["1", "2", "3", "4"]);
    expect((await listAll(store)).map((m) => m.text)).toEqual(["b", "c"]);
  });
});

describe("follow", () => {
  async function take(iterable: AsyncIterable<StoreEvent>, n: number): Promise<StoreEvent[]> {
    const out: StoreEvent[] = [];
    if (n === 0) return out;
    for await (const event of iterable) {
      out.push(event);
      if (out.length === n) break;
    }
    return out;
  }
  const brief = (events: StoreEvent[]) =>
    events.map((e) => (e.type === "clear" ? `clear ${e.id}` : `${e.id} ${e.message.text}`));

  it("replays after the cursor, then streams live events", async () => {
    const store = await tmp.open(await tmp.file());
    await store.append("a");
    await store.append("b");
    const events = store.follow("1", new AbortController().signal);
    const live = store.append("c");
    expect(brief(await take(events, 2))).toEqual(["2 b", "3 c"]);
    await live;
  });

  it("streams only new events without a cursor, including those appended before next()", async () => {
    const store = await tmp.open(await tmp.file());
    await store.append("old");
    const events = store.follow(undefined, new AbortController().signal);
    await store.append("new");
    await store.clear();
    expect(brief(await take(events, 2))).toEqual(["2 new", "clear 3"]);
  });

  it("replays a clear that came after the cursor, then the messages after it", async () => {
    const store = await tmp.open(await tmp.file());
    await store.append("a");
    await store.clear();
    await store.append("b");
    const events = await take(store.follow("1", new AbortController().signal), 2);
    expect(brief(events)).toEqual(["clear 2", "3 b"]);
    expect(events.every((e) => typeof e.id === "string")).toBe(true);
  });

  it("replays messages read back from disk, and stops a replay cut short by a clear", async () => {
    const file = await tmp.file();
    const first = await tmp.open(file);
    await Promise.all(Array.from({ length: 2000 }, (_, i) => first.append(`m${i + 1}`)));
    await first.close();
    const store = await tmp.open(file); // every message now comes from disk
    const all = await take(store.follow("0", new AbortController().signal), 2000);
    expect(brief(all)).toEqual(Array.from({ length: 2000 }, (_, i) => `${i + 1} m${i + 1}`));

    const events = store.follow("0", new AbortController().signal);
    const iterator = events[Symbol.asyncIterator]();
    const got = [(await iterator.next()).value as StoreEvent];
    await store.clear(); // closes the file the rest of the replay would read from
    for (;;) {
      const next = await iterator.next();
      got.push(next.value as StoreEvent);
      if (next.done || next.value.type === "clear") break;
    }
    expect(got.at(-1)).toEqual({ type: "clear", id: "2001" });
    expect(got.length).toBeLessThan(2000);
  });

  it("ends a replay from disk quietly when the store closes under it", async () => {
    const file = await tmp.file();
    const first = await tmp.open(file);
    await Promise.all(Array.from({ length: 1500 }, (_, i) => first.append(`m${i}`)));
    await first.close();
    const store = await tmp.open(file);
    const iterator = store.follow("0", new AbortController().signal)[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    await store.close();
    let n = 0;
    while (!(await iterator.next()).done) n++;
    expect(n).toBeLessThan(1500);
  });

  it("ends when the signal aborts and when the store closes", async () => {
    const store = await tmp.open(await tmp.file());
    const aborter = new AbortController();
    const aborted = take(store.follow(undefined, aborter.signal), 5);
    const closed = take(store.follow(undefined, new AbortController().signal), 5);
    await store.append("x");
    aborter.abort();
    expect(brief(await aborted)).toEqual(["1 x"]);
    await store.close();
    expect(brief(await closed)).toEqual(["1 x"]);
  });

  it("refuses a bad cursor synchronously with WW_STORE_INVALID_CURSOR", async () => {
    const store = await tmp.open(await tmp.file());
    expect(() => store.follow("x", new AbortController().signal)).toThrow(
      expect.objectContaining({ code: "WW_STORE_INVALID_CURSOR" }),
    );
  });
});

describe("a path that is not a file (issue 16: --data /dev/null)", () => {
  it.each([
    ["/dev/null", "a device"],
    ["a folder", "a directory"],
    ["a fifo", "a named pipe"],
  ])("refuses %s as %s, with WW_STORE_NOT_A_FILE, creating nothing", async (name, kind) => {
    const folder = await tmp.folder();
    let path = name;
    if (name === "a folder") path = folder;
    if (name === "a fifo") {
      path = join(folder, "fifo");
      execFileSync("mkfifo", [path]);
    }
    const before = await readdir(dirname(path));
    const error = await rejection(tmp.open(path));
    expect(error).toMatchObject({
      code: "WW_STORE_NOT_A_FILE",
      message: `message store ${path} is ${kind}; the log must be a regular file (it is created if missing)`,
    });
    expect(await readdir(dirname(path))).toEqual(before); // no lock file beside it
  });
});

describe("close and lock", () => {
  it("refuses every call after close with WW_STORE_CLOSED, and close is idempotent", async () => {
    const store = await tmp.open(await tmp.file());
    await store.close();
    await store.close();
    for (const call of [() => store.append("x"), () => store.list(), () => store.clear()]) {
      expect((await rejection(call())).code).toBe("WW_STORE_CLOSED");
    }
    expect(() => store.follow(undefined, new AbortController().signal)).toThrow(
      expect.objectContaining({ code: "WW_STORE_CLOSED" }),
    );
  });

  it("finishes accepted appends before closing", async () => {
    const file = await tmp.file();
    const store = await tmp.open(file);
    const pending = Array.from({ length: 50 }, (_, i) => store.append(`m${i}`));
    await store.close();
    await Promise.all(pending);
    expect(await listAll(await tmp.open(file))).toHaveLength(50);
  });

  it("refuses a second writer with WW_STORE_LOCKED naming the holder", async () => {
    const file = await tmp.file();
    await tmp.open(file);
    const err = await rejection(tmp.open(file));
    expect(err).toMatchObject({ code: "WW_STORE_LOCKED", file });
    expect(String(err.message)).toContain(String(process.pid));
  });

  it("takes over a lock left by a dead process", async () => {
    const file = await tmp.file();
    const { spawnSync } = await import("node:child_process");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    await writeFile(`${file}.lock`, `${dead.stdout.toString()}\n`);
    const store = await tmp.open(file);
    expect((await store.append("mine")).id).toBe("1");
    expect(await readFile(`${file}.lock`, "utf8")).toBe(`${process.pid}\n`);
  });

  it("releases the lock on close so the file can be opened again", async () => {
    const file = await tmp.file();
    const store = await tmp.open(file);
    await store.close();
    await expect(tmp.open(file)).resolves.toBeDefined();
  });
});

describe("arguments", () => {
  it.each([
    ["", {}],
    [42, {}],
  ])("refuses file %j with TypeError", async (file, options) => {
    await expect(tmp.open(file as string, options)).rejects.toThrow(TypeError);
  });
  it.each([0, -1, 2.5, 1e9])("refuses maxMessageBytes %s with RangeError", async (n) => {
    await expect(tmp.open(await tmp.file(), { maxMessageBytes: n })).rejects.toThrow(RangeError);
  });
});
