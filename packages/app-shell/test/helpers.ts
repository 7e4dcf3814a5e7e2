import { type ChildProcess, spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { fileURLToPath } from "node:url";

export const FIXTURE_APP = fileURLToPath(new URL("./fixtures/app.mjs", import.meta.url));

const started: { child: ChildProcess; group: boolean }[] = [];

/** A process the test started, its output so far, and waits on both. */
export interface Run {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

/**
 * Starts a command with stdout and stderr captured together. `detached` puts it in a process
 * group of its own, so a test can send a signal to the whole group as a terminal's Ctrl-C does.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; detached?: boolean } = {},
): Run {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  started.push({ child, group: options.detached ?? false });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (data: Buffer) => {
    output += data.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (pattern: RegExp, ms = 10_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no ${pattern} in ${JSON.stringify(output)}`));
      }, ms);
      const check = () => {
        const match = output.match(pattern);
        if (match) {
          clearTimeout(timer);
          listeners.delete(check);
          resolve(match);
        }
      };
      listeners.add(check);
      check();
    });
  return { child, output: () => output, exited, waitFor };
}

/** Starts the fixture app with node. */
export function runFixture(args: readonly string[], env: Record<string, string> = {}): Run {
  return run(process.execPath, [FIXTURE_APP, ...args], { env });
}

/** Kills whatever a test left running (whole groups for detached ones). */
export function killStarted(): void {
  for (const { child, group } of started.splice(0)) {
    try {
      // A group outlives its leader (pnpm's child, cluster workers): kill it whole.
      if (group && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      else if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** A GET on 127.0.0.1 on a fresh connection (no keep-alive: each request may reach another worker). */
export function get(
  port: number,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path, agent: false, headers: { connection: "close" } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Whether a process is still alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
