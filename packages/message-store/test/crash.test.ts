import { type ChildProcess, spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import type { StoredMessage, StoreEvent } from "../src/index.js";
import { listAll, scratch } from "./helpers.js";

const tmp = scratch();
const children = new Set<ChildProcess>();
afterEach(async () => {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
  await tmp.cleanup();
});
// WIREWEB_FUZZ_RUNS raises the count, capped: each kill costs a child start (about 0.5 s).
const KILLS = Math.min(Number(process.env.WIREWEB_FUZZ_RUNS ?? 10), 200);
const CHILD = fileURLToPath(new URL("./append-child.ts", import.meta.url));

interface Run {
  acked: StoredMessage[];
  clears: number[];
}

/** Starts the appending child, SIGKILLs it `delayMs` after `when` appears, returns its acks. */
function runAndKill(file: string, when: "opening" | "ready", delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, file], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    let out = "";
    let err = "";
    const limit = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      const first = !out.includes(`${when}\n`);
      out += chunk;
      if (first && out.includes(`${when}\n`)) setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
    });
    child.on("error", reject);
    // "exit" comes after the child is reaped, so its pid is really gone for the lock check.
    child.on("exit", (code, signal) => {
      clearTimeout(limit);
      children.delete(child);
      if (signal !== "SIGKILL") return reject(new Error(`child exited ${code}: ${err}`));
      const run: Run = { acked: [], clears: [] };
      // The last line may be cut short by the kill; only complete lines are acknowledgements.
      for (const line of out.split("\n").slice(0, -1)) {
        if (line.startsWith("clear ")) run.clears.push(Number(line.slice(6)));
        else if (/^\d+ /.test(line)) run.acked.push(JSON.parse(line.slice(line.indexOf(" ") + 1)));
      }
      resolve(run);
    });
  });
}

async function firstEvent(events: AsyncIterable<StoreEvent>): Promise<StoreEvent | undefined> {
  for await (const event of events) return event;
  return undefined;
}

it(
  `keeps every acknowledged append across ${KILLS} SIGKILLs at random moments`,
  async () => {
    const file = await tmp.file();
    const acked = new Map<string, StoredMessage>();
    let lastAckedClear = 0;
    let total = 0;
    let torn = 0;
    for (let run = 0; run < KILLS; run++) {
      // Mostly mid-append; every fourth run right after start, during open and recovery.
      const early = run % 4 === 3;
      const result = await runAndKill(
        file,
        early ? "opening" : "ready",
        Math.random() * (early ? 40 : 150),
      );
      for (const message of result.acked) acked.set(message.id, message);
      lastAckedClear = Math.max(lastAckedClear, ...result.clears);
      total += result.acked.length;

      const store = await tmp.open(file, { onWarning: () => torn++ });
      // A clear that hit the disk but was never acknowledged may also have removed messages.
      const replay = new AbortController();
      const first = await firstEvent(store.follow("0", replay.signal));
      replay.abort();
      const effectiveClear = first?.type === "clear" ? Number(first.id) : 0;
      expect(effectiveClear).toBeGreaterThanOrEqual(lastAckedClear);
      const present = new Map((await listAll(store)).map((m) => [m.id, m]));
      for (const [id, message] of acked) {
        if (Number(id) > effectiveClear) expect(present.get(id)).toEqual(message);
      }
      await store.close();
    }
    expect(total).toBeGreaterThan(0);
    if (process.env.CRASH_STATS)
      console.log({ kills: KILLS, acked: total, tornTailsRecovered: torn });
    // Nothing but the log and quarantined torn tails is left beside it.
    const side = (await readdir(dirname(file))).filter((f) => f !== basename(file));
    expect(side.every((f) => f.startsWith(`${basename(file)}.torn-`))).toBe(true);
  },
  10_000 + KILLS * 3_000,
);
