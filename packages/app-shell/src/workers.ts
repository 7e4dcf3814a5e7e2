import cluster, { type Worker } from "node:cluster";
import type { AppConfig, AppSpec } from "./app.js";
import type { FlagTable } from "./flags.js";
import { announce, type ListeningMessage } from "./serve.js";
import { count, handleStopSignals } from "./stop-signals.js";

/** More replacements than this within {@link RESTART_WINDOW_MS} means something is broken: stop. */
const MAX_RESTARTS = 10;
const RESTART_WINDOW_MS = 60_000;

/**
 * The primary of `--workers N`: forks N copies of this program, which all listen on one port
 * (node:cluster hands the connections out), prints the URL once, replaces a worker that dies
 * after it listened, and stops them all gracefully on Ctrl-C (a second Ctrl-C kills them).
 * A worker that dies before it ever listened (a port in use, a bad file) ends the whole run with
 * its exit code: starting it again would fail the same way.
 */
export function runPrimary<F extends FlagTable>(spec: AppSpec<F>, config: AppConfig<F>): void {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const listened = new Set<Worker>();
  const restarts: number[] = [];
  let stopping = false;
  let announced = false;

  const fork = () => {
    const worker = cluster.fork();
    worker.on("message", (message: Partial<ListeningMessage>) => {
      if (message?.wireweb !== "listening" || typeof message.port !== "number") return;
      listened.add(worker);
      if (announced) {
        say(`worker ${worker.id} (pid ${worker.process.pid}) is serving`);
        return;
      }
      announced = true;
      announce(spec, config, { port: message.port, redirectPort: message.redirectPort }, say);
      say(
        `${count(config.workers, "worker")} share the port (node:cluster); pid ${process.pid} is the primary.`,
      );
    });
  };

  cluster.on("exit", (worker, code, signal) => {
    const wasListening = listened.delete(worker);
    if (stopping) return;
    const how = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
    if (!wasListening) {
      // It never served: the same start would fail again. Its own message says why.
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGKILL");
      process.exit(code || 1);
    }
    const now = performance.now();
    restarts.push(now);
    while (restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > MAX_RESTARTS) {
      process.stderr.write(
        `${spec.name}: workers keep dying (${restarts.length} in a minute); stopping\n`,
      );
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGTERM");
      process.exitCode = 1;
      return;
    }
    say(`worker ${worker.id} (pid ${worker.process.pid}) ${how}; starting another`);
    fork();
  });

  const alive = () => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  handleStopSignals({
    say,
    waitingFor: () => {
      const n = alive().length;
      return n === 0 ? undefined : `waiting for ${count(n, "worker")} to finish their requests`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        const workers = alive();
        if (workers.length === 0) return resolve();
        let left = workers.length;
        for (const worker of workers) {
          worker.once("exit", () => {
            if (--left === 0) resolve();
          });
          worker.process.kill("SIGTERM");
        }
      }),
    force: () => {
      for (const worker of alive()) worker.process.kill("SIGKILL");
    },
  });
  if (config.tlsCert !== undefined) {
    // `kill -HUP <primary>` reloads the certificate in every worker.
    process.on("SIGHUP", () => {
      for (const worker of alive()) worker.process.kill("SIGHUP");
    });
  }

  for (let i = 0; i < config.workers; i++) fork();
}
