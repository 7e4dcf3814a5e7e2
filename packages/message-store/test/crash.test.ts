import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
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
let child: { folder: string; script: string };

/**
 * Transpiles the package's sources and the child script to plain JS once, so each child starts
 * as bare `node` (a tsx loader costs seconds per start on a busy machine, and we start many).
 */
beforeAll(async () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const folder = await mkdtemp(join(tmpdir(), "wireweb-crash-child-"));
  await writeFile(join(folder, "package.json"), '{ "type": "module" }');
  const sources = (await readdir(join(root, "src")))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join("src", f));
  for (const source of [...sources, join("test", "append-child.ts")]) {
    const { outputText } = ts.transpileModule(await readFile(join(root, source), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await mkdir(join(folder, dirname(source)), { recursive: true });
    await writeFile(join(folder, source.replace(/\.ts$/, ".js")), outputText);
  }
  child = { folder, script: join(folder, "test", "append-child.js") };
});
afterAll(() => rm(child.folder, { recursive: true, force: true }));

interface Run {
  acked: StoredMessage[];
  clears: number[];
}

/** Starts the appending child, SIGKILLs it `delayMs` after `when` appears, returns its acks. */
function runAndKill(file: string, when: "opening" | "ready", delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const spawned = spawn(process.execPath, [child.script, file], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(spawned);
    let out = "";
    let err = "";
    const limit = setTimeout(() => spawned.kill("SIGKILL"), 15_000);
    spawned.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      const first = !out.includes(`${when}\n`);
      out += chunk;
      if (first && out.includes(`${when}\n`)) setTimeout(() => spawned.kill("SIGKILL"), delayMs);
    });
    spawned.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
    });
    spawned.on("error", reject);
    // "exit" comes after the child is reaped, so its pid is really gone for the lock check.
    spawned.on("exit", (code, signal) => {
      clearTimeout(limit);
      children.delete(spawned);
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
  // Generous: a child start can take seconds when the rest of the suite loads both cores; a
  // hung child is killed after 15 s anyway.
  30_000 + KILLS * 8_000,
);
