/**
 * Durable posts per second over HTTP (`pnpm --filter message-board bench`): the board (group
 * commit in @wireweb/message-store) against the chapter's approach (bench/chapter-board.mjs:
 * rewrite the whole file and fsync on every post), 64 connections posting the form (wrk when it
 * is installed: it is C and leaves the server the CPU that autocannon, in Node, takes; otherwise
 * autocannon; BENCH_LOADER=autocannon forces it),
 * with 1k, 10k and 100k messages already stored; then the board's startup time with 1M messages.
 * Each round starts from a fresh data file; rounds are interleaved; medians are reported. Before
 * timing, each contender must store a posted message and show it escaped; after each round, the
 * file must hold every post that was answered 303.
 * BENCH_QUICK=1: one short round at 1k and a 20k-message startup, so CI proves the script works.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "@wireweb/message-store";
import autocannon from "autocannon";
import { fmt, type LoadResult, median, postWithWrk, type Running, spawnServer } from "./tools.js";

const QUICK = process.env.BENCH_QUICK === "1";
const ROUNDS = QUICK ? 1 : 3;
const SECONDS = QUICK ? 0.5 : 4;
const SIZES = QUICK ? [1_000] : [1_000, 10_000, 100_000];
const STARTUP_SIZE = QUICK ? 20_000 : 1_000_000;
const CONNECTIONS = 64;
const POSTED_AT = "2026-11-23T19:58:36.123Z";
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const MAIN = here("../dist/main.js");
const CHAPTER = here("./chapter-board.mjs");
const CHECK_TEXT = "bench check <b>&</b>";
const CHECK_HTML = "bench check &lt;b&gt;&amp;&lt;/b&gt;";

const POST_BODY = "message=Hello+from+the+bench%21%0ASecond+line.";
const USE_WRK =
  process.env.BENCH_LOADER !== "autocannon" && spawnSync("wrk", ["--version"]).error === undefined;
/** wrk counts whole seconds. */
const LOAD_SECONDS = USE_WRK ? Math.max(1, Math.round(SECONDS)) : SECONDS;

const textOf = (i: number) => `message ${i}: the quick brown fox jumps over the lazy dog`;

interface Contender {
  name: string;
  /** Writes a data file holding `n` messages. */
  prefill(file: string, n: number): Promise<void>;
  start(file: string): Promise<Running>;
  /** How many messages the data file holds (read after `stop`). */
  count(file: string): number;
}

/** Fills a message log through the store's API, 4096 appends per group commit. */
async function prefillLog(file: string, n: number): Promise<void> {
  const store = await openStore(file, { onWarning() {} });
  for (let first = 0; first < n; first += 4096) {
    const batch: Promise<unknown>[] = [];
    for (let i = first; i < Math.min(n, first + 4096); i++) batch.push(store.append(textOf(i)));
    await Promise.all(batch);
  }
  await store.close();
}

const CONTENDERS: Contender[] = [
  {
    name: "wireweb board (group commit)",
    prefill: prefillLog,
    start: (file) =>
      spawnServer([MAIN, "--data", file, "--port", "0", "--host", "127.0.0.1", "--quiet"]),
    // One record per line after the header line; the board never clears during the bench.
    count: (file) => readFileSync(file, "utf8").split("\n").length - 2,
  },
  {
    name: "chapter: rewrite file + fsync",
    async prefill(file, n) {
      const messages = Array.from({ length: n }, (_, i) => ({
        text: textOf(i),
        postedAt: POSTED_AT,
      }));
      writeFileSync(file, JSON.stringify(messages));
    },
    start: (file) => spawnServer([CHAPTER, file]),
    count: (file) => (JSON.parse(readFileSync(file, "utf8")) as unknown[]).length,
  },
];

/** Posts one message through the form and checks that the page then shows it, escaped. */
async function check(port: number): Promise<void> {
  const posted = await fetch(`http://127.0.0.1:${port}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ message: CHECK_TEXT }).toString(),
    redirect: "manual",
  });
  if (posted.status !== 303) throw new Error(`POST / answered ${posted.status}, not 303`);
  const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  if (!page.includes(CHECK_HTML)) throw new Error("the posted message is not on the page, escaped");
}

/** One timed round: returns acknowledged (303) posts per second. */
async function round(contender: Contender, folder: string, n: number): Promise<number> {
  const file = join(folder, `${contender.name.split(" ")[0]}-${n}.data`);
  rmSync(file, { force: true });
  await contender.prefill(file, n);
  const server = await contender.start(file);
  let acked = 0;
  try {
    await check(server.port);
    const result = USE_WRK
      ? await postWithWrk(server.port, folder, {
          connections: CONNECTIONS,
          seconds: LOAD_SECONDS,
          body: POST_BODY,
        })
      : await postWithAutocannon(server.port);
    acked = result.acked;
    if (result.other > CONNECTIONS) throw new Error(`${result.other} answers other than 303`);
  } finally {
    await server.stop();
  }
  // Every acknowledged post must be in the file; posts cut off at the end may be there too.
  const stored = contender.count(file) - n - 1;
  if (stored < acked || stored > acked + CONNECTIONS) {
    throw new Error(`${contender.name}: ${acked} posts acknowledged but ${stored} stored`);
  }
  console.log(`  ✔ ${contender.name} at ${n}: ${acked} acked, ${stored} stored`);
  rmSync(file, { force: true });
  return acked / LOAD_SECONDS;
}

async function postWithAutocannon(port: number): Promise<LoadResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: CONNECTIONS,
    duration: LOAD_SECONDS,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: POST_BODY,
  });
  const acked = result.statusCodeStats?.["303"]?.count ?? 0;
  if (result.errors > 0 && acked === 0) throw new Error(`${result.errors} errors, nothing acked`);
  return { acked, other: result.requests.total - acked + result.errors };
}

async function benchPosts(folder: string): Promise<void> {
  const rows: string[] = [];
  for (const n of SIZES) {
    const rates = new Map<Contender, number[]>(CONTENDERS.map((c) => [c, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const contender of CONTENDERS)
        rates.get(contender)!.push(await round(contender, folder, n));
    }
    const ours = median(rates.get(CONTENDERS[0]!)!);
    for (const contender of CONTENDERS) {
      const rate = median(rates.get(contender)!);
      const ratio = contender === CONTENDERS[0] ? "1.00×" : `${(ours / rate).toFixed(1)}× slower`;
      const best = Math.max(...rates.get(contender)!);
      rows.push(`| ${fmt(n)} | ${contender.name} | ${fmt(rate)} | ${fmt(best)} | ${ratio} |`);
    }
  }
  console.log(
    `\nDurable posts/s over HTTP, ${CONNECTIONS} connections (${USE_WRK ? "wrk -t1" : "autocannon"}), ${LOAD_SECONDS} s × ${ROUNDS} rounds, median (Node ${process.version}):\n`,
  );
  console.log(
    "| stored | contender | posts/s (303 after fsync), median | best round | vs wireweb (medians) |",
  );
  console.log("|---:|---|---:|---:|---:|");
  for (const row of rows) console.log(row);
}

async function benchStartup(folder: string): Promise<void> {
  const file = join(folder, "startup.log");
  await prefillLog(file, STARTUP_SIZE);
  const listening: number[] = [];
  const firstPage: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    const server = await spawnServer([
      MAIN,
      "--data",
      file,
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--quiet",
    ]);
    listening.push(server.startupMs);
    const page = await (await fetch(`http://127.0.0.1:${server.port}/`)).text();
    firstPage.push(performance.now() - started);
    await server.stop();
    if (!page.includes(textOf(STARTUP_SIZE - 1)))
      throw new Error("startup: the latest message is not on the page");
  }
  console.log(
    `\nStartup with ${fmt(STARTUP_SIZE)} messages: listening after ${fmt(median(listening))} ms, ` +
      `first page served after ${fmt(median(firstPage))} ms (median of ${ROUNDS}; goal under 2000 ms at 1M).`,
  );
}

/**
 * The disk's fdatasync latency right now: one fsync per post can never beat 1000 / median posts/s
 * per writer, which is the line the board must clear.
 */
function probeFsync(folder: string): void {
  const fd = openSync(join(folder, "probe"), "w");
  const times: number[] = [];
  for (let i = 0; i < (QUICK ? 10 : 50); i++) {
    writeSync(fd, `${textOf(i)}\n`);
    const start = performance.now();
    fdatasyncSync(fd);
    times.push(performance.now() - start);
  }
  closeSync(fd);
  const ms = median(times);
  console.log(
    `fdatasync of one appended line here: median ${ms.toFixed(2)} ms, so one fsync per post ` +
      `allows at most ${fmt(1000 / ms)} posts/s.`,
  );
}

const folder = mkdtempSync(join(tmpdir(), "board-bench-"));
try {
  probeFsync(folder);
  await benchPosts(folder);
  probeFsync(folder);
  await benchStartup(folder);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
