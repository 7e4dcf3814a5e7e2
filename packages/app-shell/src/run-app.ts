import cluster from "node:cluster";
import { type AppConfig, type AppSpec, parseConfig, usageHintOf, usageOf } from "./app.js";
import { UsageError } from "./errors.js";
import type { FlagTable } from "./flags.js";
import { serve } from "./serve.js";
import { runPrimary } from "./workers.js";

/**
 * Runs an app as its `main.ts`: reads the flags and the environment (`--help` prints the usage;
 * a mistake prints what is wrong and the usage line on stderr and exits 2), then serves in this process, or with
 * `--workers N` in N worker processes on one port.
 *
 * @example
 * await runApp(defineApp({
 *   name: "hello",
 *   summary: "Says hello.",
 *   flags: {},
 *   start: () => ({ handler: (request, response) => response.end("hello\n") }),
 * }));
 */
export async function runApp<F extends FlagTable>(
  spec: AppSpec<F>,
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  let config: AppConfig<F>;
  try {
    config = parseConfig(spec, argv, env);
  } catch (error) {
    if (!UsageError.is(error)) throw error;
    // `--help` wins over any mistake next to it.
    if (argv.includes("--help") || argv.includes("-h")) config = { help: true } as AppConfig<F>;
    else {
      process.stderr.write(`${spec.name}: ${error.message}\n${usageHintOf(spec)}`);
      process.exit(error.exitCode);
    }
  }
  if (config.help) {
    process.stdout.write(usageOf(spec));
    process.exit(0);
  }
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(spec, config);
  await serve(spec, config);
}
