/** Pieces the board's benchmarks share: start a server, load it with wrk, summarize. */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Running {
  /** The server process (for its RSS). */
  pid: number;
  port: number;
  /** SIGTERM and wait for the exit (the board closes its log; the chapter finishes its write). */
  stop(): Promise<void>;
}

export interface LoadResult {
  /** Posts answered 303 (acknowledged after fsync). */
  acked: number;
  /** Any other answer or error. */
  other: number;
}

/** Spawns a server and resolves once it prints the URL to open. */
export function spawnServer(args: string[]): Promise<Running & { startupMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    const stop = async () => {
      child.kill("SIGTERM");
      await exited;
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} did not start: ${output}`));
    }, 60_000);
    const onData = (data: Buffer) => {
      output += data;
      const match = /connect to: http:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          pid: child.pid!,
          port: Number(match[1]),
          stop,
          startupMs: performance.now() - started,
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited ${code}: ${output}`));
    });
  });
}

/** Posts the form with wrk -t1 for `seconds`; counts the 303s exactly. */
export async function postWithWrk(
  port: number,
  folder: string,
  load: { connections: number; seconds: number; body: string },
): Promise<LoadResult> {
  const script = join(folder, "post.lua");
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(load.body)}\n` +
      `wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n` +
      // Count 303s exactly (wrk's summary lumps every 3xx together). Each wrk thread has its
      // own Lua state, so `done` (run in the main state) collects the threads' counts.
      "local threads = {}\nfunction setup(thread) table.insert(threads, thread) end\n" +
      "seen = 0\nfunction response(status) if status == 303 then seen = seen + 1 end end\n" +
      "function done() local n = 0 for _, t in ipairs(threads) do n = n + t:get('seen') end " +
      'io.write(string.format("acked %d\\n", n)) end\n',
  );
  const child = spawn("wrk", [
    "-t1",
    `-c${load.connections}`,
    `-d${load.seconds}s`,
    "-s",
    script,
    `http://127.0.0.1:${port}/`,
  ]);
  let output = "";
  child.stdout.on("data", (data) => {
    output += data;
  });
  await new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", () => resolve());
  });
  const acked = /^acked (\d+)$/m.exec(output);
  const total = /(\d+) requests in/.exec(output);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  if (acked === null || total === null) throw new Error(`wrk said\n${output}`);
  const socketErrors = errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { acked: Number(acked[1]), other: Number(total[1]) - Number(acked[1]) + socketErrors };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const fmt = (value: number) => Math.round(value).toLocaleString("en-US");
