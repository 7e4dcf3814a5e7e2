// Store-level benchmark: durable appends per second with 64 concurrent appenders at 1k, 10k and
// 100k stored messages, wireweb's group commit against one fdatasync per append and against the
// chapter's approach (rewrite the whole file, fsync, rename, fsync the folder on every post);
// then the time to open a log of 1M messages. BENCH_QUICK=1 shrinks everything to seconds.
import { mkdtemp, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MessageStore, openStore } from "../src/index.js";
import { encodeRecords, HEADER } from "../src/record.js";

const QUICK = process.env.BENCH_QUICK === "1";
const CLIENTS = 64;
const SECONDS = QUICK ? 0.15 : 1;
const REPEATS = QUICK ? 1 : 3;
const SIZES = [1_000, 10_000, 100_000];
const OPEN_SIZE = QUICK ? 50_000 : 1_000_000;
const POSTED_AT = "2026-11-23T19:58:36.123Z";

interface Handle {
  append(text: string): Promise<unknown>;
  close(): Promise<void>;
  /** Rejects queued appends so a slow contender stops soon after the time is up. */
  cancel?(): void;
}

/** The part of a store the benchmark drives. */
interface Contender {
  name: string;
  /** Writes a file already holding `n` messages. */
  prefill(file: string, n: number): Promise<void>;
  open(file: string): Promise<Handle>;
  /** Every stored text, oldest first, read back from the file after close. */
  readBack(file: string): Promise<string[]>;
}

/** Runs appends one at a time; `cancel` makes the queued ones reject instead of running. */
function serial(run: (text: string) => Promise<void>, close: () => Promise<void>): Handle {
  let chain: Promise<unknown> = Promise.resolve();
  let cancelled = false;
  return {
    append(text) {
      const done = chain.then(() => {
        if (cancelled) throw new Error("cancelled");
        return run(text);
      });
      chain = done.catch(() => undefined);
      return done;
    },
    async close() {
      await chain;
      await close();
    },
    cancel() {
      cancelled = true;
    },
  };
}

const textOf = (i: number) => `message ${i}: the quick brown fox jumps over the lazy dog`;

async function prefillLog(file: string, n: number): Promise<void> {
  const records = Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    postedAt: POSTED_AT,
    text: textOf(i),
  }));
  await writeFile(file, Buffer.concat([Buffer.from(HEADER), encodeRecords(records)]));
}

async function readLog(file: string): Promise<string[]> {
  const store = await openStore(file);
  const texts = (await store.list({ limit: 100_000 })).messages.map((m) => m.text);
  await store.close();
  return texts;
}

const wireweb: Contender = {
  name: "wireweb (group commit)",
  prefill: prefillLog,
  open: (file) => openStore(file),
  readBack: readLog,
};

/** The same log format, but each append is its own write + fdatasync, one at a time. */
const fsyncEach: Contender = {
  name: "one fdatasync per append",
  prefill: prefillLog,
  async open(file) {
    const handle = await open(file, "r+");
    let size = (await handle.stat()).size;
    let seq = (await readFile(file)).toString().split("\n").length - 2;
    return serial(
      async (text) => {
        const bytes = encodeRecords([{ seq: ++seq, postedAt: new Date().toISOString(), text }]);
        await handle.write(bytes, 0, bytes.length, size);
        await handle.datasync();
        size += bytes.length;
      },
      () => handle.close(),
    );
  },
  readBack: readLog,
};

/** The chapter's board done safely: the whole list as JSON, rewritten durably on every post. */
const rewrite: Contender = {
  name: "chapter: rewrite file + fsync",
  async prefill(file, n) {
    const all = Array.from({ length: n }, (_, i) => ({ text: textOf(i), postedAt: POSTED_AT }));
    await writeFile(file, JSON.stringify(all));
  },
  async open(file) {
    const messages = JSON.parse(await readFile(file, "utf8")) as object[];
    return serial(
      async (text) => {
        messages.push({ text, postedAt: new Date().toISOString() });
        const temporary = `${file}.tmp`;
        const handle = await open(temporary, "w");
        await handle.writeFile(JSON.stringify(messages));
        await handle.sync();
        await handle.close();
        await rename(temporary, file);
        const folder = await open(join(file, ".."), "r");
        await folder.sync();
        await folder.close();
      },
      async () => {},
    );
  },
  async readBack(file) {
    return (JSON.parse(await readFile(file, "utf8")) as { text: string }[]).map((m) => m.text);
  },
};

const CONTENDERS = [wireweb, fsyncEach, rewrite];

async function withFolder<T>(run: (folder: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), "wireweb-store-bench-"));
  try {
    return await run(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Same workload, same stored texts: 64 concurrent appends onto 3 stored messages. */
async function check(contender: Contender): Promise<boolean> {
  return withFolder(async (folder) => {
    const file = join(folder, "board");
    await contender.prefill(file, 3);
    const store = await contender.open(file);
    const texts = Array.from({ length: CLIENTS }, (_, i) => `check ${i} ✓ "quoted"\nline`);
    await Promise.all(texts.map((t) => store.append(t)));
    await store.close();
    const stored = await contender.readBack(file);
    const expected = [textOf(0), textOf(1), textOf(2), ...texts];
    return JSON.stringify([...stored].sort()) === JSON.stringify([...expected].sort());
  });
}

/**
 * Durable appends per second: CLIENTS loops append until the time is up; only acks that came
 * before the deadline count, so a slow contender's queue need not drain.
 */
async function measure(contender: Contender, stored: number): Promise<number> {
  return withFolder(async (folder) => {
    const file = join(folder, "board");
    await contender.prefill(file, stored);
    const store = await contender.open(file);
    let acked = 0;
    let firstAck: number | undefined;
    const start = performance.now();
    const deadline = start + SECONDS * 1000;
    const timer = setTimeout(() => store.cancel?.(), SECONDS * 1000);
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let i = 0; performance.now() < deadline; i++) {
          try {
            await store.append(`client ${client} post ${i}`);
          } catch {
            return;
          }
          const now = performance.now();
          firstAck ??= now;
          if (now <= deadline) acked++;
        }
      }),
    );
    clearTimeout(timer);
    await store.close();
    // Slower than one post per time slot: the rate is one over the first post's time.
    if (acked === 0 && firstAck !== undefined) return 1000 / (firstAck - start);
    return acked / SECONDS;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
  console.log(
    `@wireweb/message-store bench — Node ${process.version}, ${CLIENTS} concurrent appenders, ` +
      `${SECONDS} s × ${REPEATS} per case${QUICK ? " (BENCH_QUICK)" : ""}\n`,
  );
  for (const contender of CONTENDERS) {
    const ok = await check(contender);
    console.log(`${ok ? "✔" : "✘"} ${contender.name} stores exactly the texts appended`);
    if (!ok) process.exitCode = 1;
  }
  console.log("\n| stored | contender | durable appends/s (median) | vs wireweb |");
  console.log("|---:|---|---:|---:|");
  for (const stored of SIZES) {
    let ours = 0;
    for (const contender of CONTENDERS) {
      const runs: number[] = [];
      for (let r = 0; r < REPEATS; r++) runs.push(await measure(contender, stored));
      const rate = median(runs);
      if (contender === wireweb) ours = rate;
      const ratio = contender === wireweb ? "1.00×" : `${(ours / rate).toFixed(2)}× slower`;
      console.log(`| ${fmt(stored)} | ${contender.name} | ${fmt(rate)} | ${ratio} |`);
    }
  }
  await benchOpen();
}

/** Time to open (read, checksum every record, index) a log of OPEN_SIZE messages. */
async function benchOpen(): Promise<void> {
  await withFolder(async (folder) => {
    const file = join(folder, "big.log");
    const handle = await open(file, "w");
    await handle.write(HEADER);
    const CHUNK = 50_000;
    for (let first = 0; first < OPEN_SIZE; first += CHUNK) {
      const records = [];
      for (let i = first; i < Math.min(OPEN_SIZE, first + CHUNK); i++) {
        records.push({ seq: i + 1, postedAt: POSTED_AT, text: textOf(i) });
      }
      await handle.write(encodeRecords(records));
    }
    await handle.close();
    const times: number[] = [];
    const exports: number[] = [];
    let store: MessageStore | undefined;
    for (let r = 0; r < REPEATS; r++) {
      const start = performance.now();
      store = await openStore(file);
      const page = await store.list({ limit: 50 });
      times.push(performance.now() - start);
      const exportStart = performance.now();
      const all = await store.list({ limit: 100_000, after: String(OPEN_SIZE / 2) });
      exports.push(performance.now() - exportStart);
      const wrong =
        page.messages.at(-1)?.text !== textOf(OPEN_SIZE - 1) ||
        all.messages[0]?.text !== textOf(OPEN_SIZE / 2) ||
        all.messages.length !== Math.min(100_000, OPEN_SIZE / 2);
      if (wrong) {
        console.log("✘ open: a page read back is wrong");
        process.exitCode = 1;
      }
      await store.close();
    }
    const { size } = await (await import("node:fs/promises")).stat(file);
    console.log(
      `\nopen a log of ${fmt(OPEN_SIZE)} messages (${(size / 1e6).toFixed(0)} MB) and list ` +
        `the latest 50: median ${median(times).toFixed(0)} ms (goal: under 2000 ms at 1M)`,
    );
    console.log(
      `then list({ limit: 100000 }) from the middle (read back from disk): median ` +
        `${median(exports).toFixed(0)} ms`,
    );
  });
}

await main();
