import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
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

  constructor(script: string, args: string[], fdLimit: boolean, env?: NodeJS.ProcessEnv) {
    const command = [process.execPath, join(here, script), ...args];
    // The shell raises the open-file limit to its hard maximum for 10,000 sockets, then execs
    // node, so the pid is node's and the limit applies to it.
    this.process = fdLimit
      ? spawn("sh", ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", ...command], {
          stdio: ["pipe", "pipe", "inherit"],
          env,
        })
      : spawn(command[0]!, command.slice(1), { stdio: ["pipe", "pipe", "inherit"], env });
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

