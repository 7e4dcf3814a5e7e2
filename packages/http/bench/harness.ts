/**
 * What the server benchmarks share: child processes that print `WORD value` lines, raw
 * exchanges to check that contenders send the same bytes, autocannon and wrk runs, CPU time
 * per request, medians and formatting. Used by server.ts and fetch.ts.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

export const QUICK = process.env.BENCH_QUICK === "1";
export const SECONDS = QUICK ? 0.5 : 3;
export const ROUNDS = QUICK ? 1 : 3;
export const CONNECTIONS = QUICK ? 10 : 50;

export const here = fileURLToPath(new URL(".", import.meta.url));
const packageDir = join(here, "..");

/** The child runs dist/ (what users run); rebuild it first if src/ is newer or it is missing. */
export function ensureBuilt(): void {
  const built = join(packageDir, "dist", "index.js");
  const srcDir = join(packageDir, "src");
  const newest = Math.max(...readdirSync(srcDir).map((f) => statSync(join(srcDir, f)).mtimeMs));
  if (existsSync(built) && statSync(built).mtimeMs >= newest) return;
  console.log("dist/ is missing or older than src/: building with tsup");
  execFileSync("npx", ["tsup"], { cwd: packageDir, stdio: "ignore" });
}

/** A child process that prints `WORD value` lines; `next(word)` awaits the next such line. */
export class Child {
  readonly process: ChildProcess;
  readonly #lines: Interface;
  #waiting: Array<{ word: string; resolve: (value: string) => void }> = [];

  constructor(script: string, args: string[], fdLimit: boolean) {
    const command = [process.execPath, join(here, script), ...args];
    // The shell raises the open-file limit to its hard maximum for 10,000 sockets, then execs
    // node, so the pid is node's and the limit applies to it.
    this.process = fdLimit
      ? spawn("sh", ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", ...command], {
          stdio: ["pipe", "pipe", "inherit"],
        })
      : spawn(command[0]!, command.slice(1), { stdio: ["pipe", "pipe", "inherit"] });
    this.#lines = createInterface({ input: this.process.stdout! });
    this.#lines.on("line", (line) => {
      const space = line.indexOf(" ");
      const word = line.slice(0, space);
      const index = this.#waiting.findIndex((w) => w.word === word);
      if (index !== -1) this.#waiting.splice(index, 1)[0]!.resolve(line.slice(space + 1));
    });
  }

  next(word: string, timeoutMs = 120_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${word} from child`)), timeoutMs);
      this.#waiting.push({
        word,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
      });
    });
  }

  send(line: string): void {
    this.process.stdin!.write(`${line}\n`);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process.once("exit", resolve));
    this.process.stdin!.end();
    const timer = setTimeout(() => this.process.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** Sends `request` and reads until `responses` complete heads+bodies arrived (fixed-size body). */
export function rawExchange(port: number, request: string, expectedBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    const chunks: Buffer[] = [];
    let length = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out after ${length} of ${expectedBytes} bytes`));
    }, 5000);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= expectedBytes) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Buffer.concat(chunks).toString("latin1"));
      }
    });
    socket.on("error", reject);
  });
}

export const withoutDate = (text: string) => text.replace(/\r\nDate: [^\r]*/g, "\r\nDate: -");

/** Requests answered in one load run, and their rate. */
export interface Load {
  total: number;
  rate: number;
}

export async function runAutocannon(port: number, pipelining: number, path = "/"): Promise<Load> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    pipelining,
  });
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(`autocannon: ${result.errors} errors, ${result.non2xx} non-2xx`);
  }
  return { total: result.requests.total, rate: result.requests.total / SECONDS };
}

export function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

export function runWrk(
  port: number,
  pipelining: number,
  scriptDir: string,
  path = "/",
): Promise<Load> {
  // A 10 s timeout, not wrk's 2 s: on a loaded machine a slow answer is slow, not lost.
  const args = [
    "-t1",
    `-c${CONNECTIONS}`,
    `-d${Math.max(1, Math.round(SECONDS))}s`,
    "--timeout",
    "10s",
  ];
  if (pipelining > 1) {
    const script = join(scriptDir, `pipeline-${pipelining}${path.replaceAll("/", "-")}.lua`);
    writeFileSync(
      script,
      `init = function(args)\n  local r = {}\n  for i = 1, ${pipelining} do r[i] = wrk.format(nil, "${path}") end\n  req = table.concat(r)\nend\nrequest = function() return req end\n`,
    );
    args.push("-s", script);
  }
  args.push(`http://127.0.0.1:${port}${path}`);
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("exit", () => {
      const rate = /Requests\/sec:\s+([\d.]+)/.exec(output);
      const total = /(\d+) requests in/.exec(output);
      if (/Non-2xx|Socket errors/.test(output))
        reject(new Error(`wrk reported errors:\n${output}`));
      else if (rate && total) resolve({ total: Number(total[1]), rate: Number(rate[1]) });
      else reject(new Error(`wrk output not understood:\n${output}`));
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** CPU time in microseconds: in the process itself and in the kernel on its behalf. */
export interface Cpu {
  user: number;
  system: number;
}

/** CPU time the server process has used so far. */
export async function cpuOf(server: { child: Child }): Promise<Cpu> {
  server.child.send("cpu");
  const [user, system] = (await server.child.next("CPU")).split(" ").map(Number);
  return { user: user!, system: system! };
}

export const total = (cpu: Cpu) => cpu.user + cpu.system;

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
export const cpuText = (cpu: Cpu) => `${cpu.user.toFixed(1)} + ${cpu.system.toFixed(1)}`;
/** The run with the median total CPU (user and system kept together, from one run). */
export const medianCpu = (runs: Cpu[]) => {
  const sorted = [...runs].sort((a, b) => total(a) - total(b));
  return sorted[(sorted.length - 1) >> 1]!;
};
export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
