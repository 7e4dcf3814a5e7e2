import { execFile } from "node:child_process";
import { chmod, chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const BIN = process.env.WIREWEB_PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** A PostgreSQL server of a test's own, in a temp folder on a free port: it may be stopped and restarted without disturbing anyone else. */
export interface ThrowawayPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** `pg_ctl restart -m fast`: every connection is terminated, as in a real restart. */
  restart(): Promise<void>;
  /** Stops the server and deletes its folder. */
  destroy(): Promise<void>;
}

/**
 * initdb + pg_ctl start with password (scram) authentication. initdb refuses to run as root, so
 * as root the server runs as the `postgres` user (runuser). Takes a few seconds.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const folder = await mkdtemp(join(tmpdir(), "wireweb-pg-"));
  const data = join(folder, "data");
  const password = "s3cret-pw";
  const asRoot = process.getuid?.() === 0;
  const exec = async (command: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ["runuser", ["-u", "postgres", "--", command, ...args]]
      : [command, args];
    return run(file, argv, { timeout: 60_000 });
  };
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(folder, Number(stdout), Number(gid));
  }
  await chmod(folder, 0o700);
  const pwfile = join(folder, "pw");
  await writeFile(pwfile, `${password}\n`);
  if (asRoot) await chown(pwfile, Number((await run("id", ["-u", "postgres"])).stdout), 0);
  await exec(join(BIN, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=scram-sha-256",
    `--pwfile=${pwfile}`,
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=100`;
  const ctl = (...args: string[]) =>
    exec(join(BIN, "pg_ctl"), ["-D", data, "-l", join(folder, "log"), "-w", "-t", "30", ...args]);
  await ctl("-o", options, "start");
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    password,
    stop: async () => void (await ctl("-m", "fast", "stop")),
    start: async () => void (await ctl("-o", options, "start")),
    restart: async () => void (await ctl("-m", "fast", "-o", options, "restart")),
    destroy: async () => {
      await ctl("-m", "immediate", "stop").catch(() => undefined);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
