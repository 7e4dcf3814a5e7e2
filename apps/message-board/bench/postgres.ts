/**
 * The board on PostgreSQL (`pnpm --filter message-board bench`, after bench/run.ts):
 * 1. durable posts/s at 64 connections (wrk): the board on PostgreSQL with 1 process and with
 *    --workers 2, against pgbench inserting one row per transaction with 64 clients on the same
 *    server, and against the file-log board; rounds interleaved, medians;
 * 2. fan-out: live (SSE) clients spread over 2 instances, a burst of posts to both: every client
 *    must receive every message; median and p99 delay from the 303 to delivery;
 * 3. idle live clients on one instance: the process's RSS.
 * Needs PostgreSQL at WIREWEB_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * pgbench and wrk; without them it says so and stops (and fails with WIREWEB_REQUIRE_POSTGRES=1).
 * BENCH_QUICK=1: short rounds and 100 clients, so CI proves the script works.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { fmt, median, postWithWrk, type Running, spawnServer } from "./tools.js";

const QUICK = process.env.BENCH_QUICK === "1";
const URL_ = process.env.WIREWEB_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const ROUNDS = QUICK ? 1 : 3;
const SECONDS = QUICK ? 1 : 4;
const CONNECTIONS = 64;
const FANOUT_CLIENTS = QUICK ? 100 : 1000;
const FANOUT_POSTS = QUICK ? 100 : 1000;
const IDLE_CLIENTS = QUICK ? 500 : 10_000;
const POST_BODY = "message=Hello+from+the+bench%21%0ASecond+line.";
const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const RUN = `${process.pid}_${Date.now().toString(36)}`;

async function preflight(): Promise<string | undefined> {
  for (const tool of ["wrk", "pgbench"]) {
    if (spawnSync(tool, ["--version"]).error !== undefined) return `${tool} is not installed`;
  }
  const client = new pg.Client({ connectionString: URL_, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${URL_} is unreachable (${(err as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function sql(text: string): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client(URL_);
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A board process on PostgreSQL, in `schema`. */
async function pgBoard(schema: string, extra: string[] = []): Promise<Running> {
  const port = await freePort();
  return spawnServer([
    MAIN,
    "--database",
    URL_,
    "--database-schema",
    schema,
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--quiet",
    ...extra,
  ]);
}

/** pgbench -n -c 64 -j 2 -T seconds, one INSERT per transaction: transactions per second. */
function runPgbench(script: string, seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("pgbench", [
      "-n",
      `-c${CONNECTIONS}`,
      "-j2",
      `-T${seconds}`,
      "-f",
      script,
      URL_,
    ]);
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("exit", () => {
      const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
      if (tps === null) reject(new Error(`pgbench said\n${output}`));
      else resolve(Number(tps[1]));
    });
  });
}

async function countRows(schema: string): Promise<number> {
  const rows = await sql(`SELECT count(*)::int AS n FROM "${schema}".messages`);
  return rows[0]!.n as number;
}

async function benchThroughput(folder: string): Promise<void> {
  const schemas: string[] = [];
  const pgbenchTable = `bench_pgbench_${RUN}`;
  await sql(
    `CREATE TABLE ${pgbenchTable} (id bigserial PRIMARY KEY, text text NOT NULL, posted_at timestamptz NOT NULL DEFAULT now())`,
  );
  const script = join(folder, "insert.sql");
  writeFileSync(
    script,
    `INSERT INTO ${pgbenchTable} (text) VALUES (E'Hello from the bench!\\nSecond line.');\n`,
  );
  const board = async (name: string, start: (schema: string) => Promise<Running>) => {
    const schema = `bench_${RUN}_${schemas.length}`;
    schemas.push(schema);
    const server = await start(schema);
    try {
      const { acked } = await postWithWrk(server.port, folder, {
        connections: CONNECTIONS,
        seconds: SECONDS,
        body: POST_BODY,
      });
      const stored = await countRows(schema);
      if (stored < acked) throw new Error(`${name}: ${acked} posts acknowledged, ${stored} stored`);
      return acked / SECONDS;
    } finally {
      await server.stop();
    }
  };
  const contenders: Array<{ name: string; run(): Promise<number> }> = [
    {
      name: "pgbench: 1 INSERT per transaction, 64 clients",
      // pgbench's -T includes opening its 64 connections, which takes seconds on a loaded
      // machine; its tps figure excludes that time, so give it room.
      run: () => runPgbench(script, SECONDS + 5),
    },
    { name: "board on PostgreSQL, 1 process", run: () => board("1 process", (s) => pgBoard(s)) },
    {
      name: "board on PostgreSQL, --workers 2",
      run: () => board("--workers 2", (s) => pgBoard(s, ["--workers", "2"])),
    },
    {
      name: "board on the file log, 1 process",
      run: async () => {
        const file = join(folder, `file-${Math.random()}.log`);
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
        try {
          const { acked } = await postWithWrk(server.port, folder, {
            connections: CONNECTIONS,
            seconds: SECONDS,
            body: POST_BODY,
          });
          return acked / SECONDS;
        } finally {
          await server.stop();
        }
      },
    },
  ];
  const rates = contenders.map(() => [] as number[]);
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, contender] of contenders.entries()) rates[i]!.push(await contender.run());
    }
  } finally {
    await sql(`DROP TABLE IF EXISTS ${pgbenchTable}`);
    for (const schema of schemas) await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
  const baseline = median(rates[0]!);
  console.log(
    `\nDurable posts/s, ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} rounds interleaved, median (Node ${process.version}; wrk -t1 for the boards):\n`,
  );
  console.log("| contender | per second, median | best round | × pgbench |");
  console.log("|---|---:|---:|---:|");
  for (const [i, contender] of contenders.entries()) {
    const rate = median(rates[i]!);
    console.log(
      `| ${contender.name} | ${fmt(rate)} | ${fmt(Math.max(...rates[i]!))} | ${(rate / baseline).toFixed(2)}× |`,
    );
  }
}

/** A raw-socket SSE client: cheap enough to run thousands in this process. */
interface LiveClient {
  socket: Socket;
  /** Resolves once the stream is open. */
  opened: Promise<void>;
  /** Arrival time (performance.now) of each message id seen. */
  arrivals: Map<number, number>;
  /** Ids seen more than once. */
  repeats: number;
}

function openLiveClient(port: number): LiveClient {
  const socket = connect(port, "127.0.0.1");
  const client: LiveClient = { socket, opened: Promise.resolve(), arrivals: new Map(), repeats: 0 };
  let buffer = "";
  client.opened = new Promise((resolve, reject) => {
    socket.setEncoding("utf8");
    socket.on("connect", () =>
      socket.write(
        `GET /api/messages/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`,
      ),
    );
    socket.on("error", reject);
    socket.on("data", (chunk: string) => {
      const now = performance.now();
      buffer += chunk;
      if (buffer.includes(": stream open")) resolve();
      const end = buffer.lastIndexOf("\n\n");
      if (end === -1) return;
      const complete = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const match of complete.matchAll(/^id: (\d+)\nevent: message$/gm)) {
        const id = Number(match[1]);
        if (client.arrivals.has(id)) client.repeats++;
        else client.arrivals.set(id, now);
      }
    });
  });
  return client;
}

async function openMany(port: number, n: number): Promise<LiveClient[]> {
  const clients: LiveClient[] = [];
  for (let i = 0; i < n; i += 250) {
    const batch = Array.from({ length: Math.min(250, n - i) }, () => openLiveClient(port));
    await Promise.all(batch.map((c) => c.opened));
    clients.push(...batch);
  }
  return clients;
}

/** Posts the form and returns the new message's id and the time the 303 arrived. */
async function post(port: number, text: string): Promise<{ id: number; at: number }> {
  let response: Response | undefined;
  for (let attempt = 1; response === undefined; attempt++) {
    try {
      response = await fetch(`http://127.0.0.1:${port}/`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ message: text }).toString(),
        redirect: "manual",
      });
    } catch (err) {
      // A kept-alive connection the server closed just as the request went out (undici then
      // says "other side closed"): the request was not read; send it again on a new one.
      if (attempt === 3) throw err;
    }
  }
  const at = performance.now();
  const body = await response.text();
  const id = /#m-(\d+)$/.exec(response.headers.get("location") ?? "");
  if (response.status !== 303 || id === null) {
    throw new Error(
      `post answered ${response.status}: ${body.replace(/<[^>]*>/g, " ").slice(0, 300)}`,
    );
  }
  return { id: Number(id[1]), at };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function benchFanOut(): Promise<void> {
  const schema = `bench_${RUN}_fanout`;
  const boards = [await pgBoard(schema), await pgBoard(schema)];
  try {
    const clients = [
      ...(await openMany(boards[0]!.port, FANOUT_CLIENTS / 2)),
      ...(await openMany(boards[1]!.port, FANOUT_CLIENTS / 2)),
    ];
    const acked = new Map<number, number>();
    let next = 0;
    const started = performance.now();
    // 64 posters, alternating between the two instances.
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, w) => {
        while (next < FANOUT_POSTS) {
          const i = next++;
          const { id, at } = await post(boards[(w + i) % 2]!.port, `burst ${i}`);
          acked.set(id, at);
        }
      }),
    );
    const burstMs = performance.now() - started;
    const deadline = Date.now() + 60_000;
    while (clients.some((c) => c.arrivals.size < FANOUT_POSTS) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const complete = clients.filter((c) => [...acked.keys()].every((id) => c.arrivals.has(id)));
    const repeats = clients.reduce((sum, c) => sum + c.repeats, 0);
    const delays = new Float64Array(clients.length * acked.size);
    let k = 0;
    for (const client of clients) {
      for (const [id, at] of acked) {
        const arrived = client.arrivals.get(id);
        if (arrived !== undefined) delays[k++] = arrived - at;
      }
    }
    const sorted = delays.subarray(0, k).sort();
    for (const client of clients) client.socket.destroy();
    console.log(
      `\nFan-out: ${fmt(clients.length)} live clients on 2 instances, a burst of ${fmt(FANOUT_POSTS)} posts by ${CONNECTIONS} posters (${fmt(burstMs)} ms):\n`,
    );
    console.log(
      "| clients with every message | repeats | deliveries | median delay 303 → delivery | p99 | max |",
    );
    console.log("|---:|---:|---:|---:|---:|---:|");
    console.log(
      `| ${fmt(complete.length)} of ${fmt(clients.length)} | ${repeats} | ${fmt(k)} | ${percentile(sorted, 50).toFixed(1)} ms | ${percentile(sorted, 99).toFixed(1)} ms | ${sorted[k - 1]?.toFixed(1)} ms |`,
    );
    if (complete.length !== clients.length || repeats > 0) {
      throw new Error("fan-out: a client missed or repeated a message");
    }
  } finally {
    for (const board of boards) await board.stop();
    await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]) / 1024;
}

async function benchIdle(): Promise<void> {
  const schema = `bench_${RUN}_idle`;
  const board = await pgBoard(schema);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = rssMb(board.pid);
    const clients = await openMany(board.port, IDLE_CLIENTS);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const during = rssMb(board.pid);
    for (const client of clients) client.socket.destroy();
    console.log(`\nIdle live clients on one instance (board on PostgreSQL):\n`);
    console.log("| clients | RSS before | RSS with the clients open | per client |");
    console.log("|---:|---:|---:|---:|");
    console.log(
      `| ${fmt(clients.length)} | ${before.toFixed(0)} MB | ${during.toFixed(0)} MB | ${(((during - before) * 1024) / clients.length).toFixed(1)} KB |`,
    );
  } finally {
    await board.stop();
    await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

const missing = await preflight();
if (missing !== undefined) {
  const message = `PostgreSQL bench skipped: ${missing}`;
  if (process.env.WIREWEB_REQUIRE_POSTGRES === "1") throw new Error(message);
  console.log(`\n!!! ${message} !!!`);
} else {
  const folder = mkdtempSync(join(tmpdir(), "board-pg-bench-"));
  try {
    // `tsx bench/postgres.ts fanout idle` runs only those parts.
    const only = new Set(process.argv.slice(2));
    const run = (part: string) => only.size === 0 || only.has(part);
    if (run("posts")) await benchThroughput(folder);
    if (run("fanout")) await benchFanOut();
    if (run("idle")) await benchIdle();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
