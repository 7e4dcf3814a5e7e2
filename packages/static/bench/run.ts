/**
 * Side-by-side static file benchmark (`pnpm --filter @wireweb/static bench`, or `pnpm bench`):
 * @wireweb/static against nginx (Debian's, one worker, sendfile) and sirv 3 on node:http.
 * Requests/s on a 1 KB file (keep-alive, 50 connections) and MiB/s on a 100 MB file
 * (4 connections). Every server is started once, by this script, on a free port; every one's
 * bytes are checked (sha256) before anything is timed; rounds are interleaved; medians.
 * Load: wrk (`-t1`) when installed, else autocannon (a JavaScript client: slower than the
 * servers it measures, so its 1 KB ratios understate the spread).
 * BENCH_QUICK=1: one short round on an 8 MB file, so CI proves the script still works.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const QUICK = process.env.BENCH_QUICK === "1";
const ROUNDS = QUICK ? 1 : 5;
const SMALL_SECONDS = QUICK ? 1 : 3;
const BIG_SECONDS = QUICK ? 1 : 4;
const BIG_BYTES = (QUICK ? 8 : 100) * 1024 * 1024;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const WIREWEB = "@wireweb/static";
const NGINX = "nginx 1 worker, sendfile";
const SIRV = "sirv 3 (node:http)";
/** The issue's goals: ratios @wireweb/static should reach against each contender. */
const GOALS: Record<string, { small: number; big?: number }> = {
  [NGINX]: { small: 1.0, big: 1.0 },
  [SIRV]: { small: 4.0 },
};

interface Started {
  name: string;
  port: number;
  /** The server's process id, for CPU accounting (its children are counted too). */
  pid: number;
  stop(): void;
}

/** Whether `command` exists (some tools, like wrk, exit non-zero even for their version). */
function has(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).error === undefined;
}

/**
 * Spawns a server in the foreground and waits until it is ready: its output matches
 * `portPattern` (the port is the first group), or, with `fixedPort`, a request succeeds there.
 */
function spawnServer(
  name: string,
  command: string,
  args: string[],
  portPattern: RegExp,
  fixedPort?: number,
): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let ready = false;
    const stop = () => child.kill("SIGTERM");
    const done = (port: number) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      resolve({ name, port, pid: child.pid!, stop });
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${name} did not start: ${output}`));
    }, 10_000);
    const onData = (data: Buffer) => {
      output += data;
      const match = portPattern.exec(output);
      if (match && fixedPort === undefined) done(Number(match[1]));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${name} exited ${code}: ${output}`));
    });
    if (fixedPort !== undefined) {
      const poll = async () => {
        for (let i = 0; i < 200 && !ready; i++) {
          const ok = await fetch(`http://127.0.0.1:${fixedPort}/1k.txt`).then(
            (r) => r.ok,
            () => false,
          );
          if (ok) return done(fixedPort);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      void poll();
    }
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Debian's nginx with its stock http settings (sendfile, tcp_nopush, mime.types, gzip for
 * text/html) and one worker, in a prefix of its own with its own temp folders, in the
 * foreground. Only the access log is off, as it is for the other servers.
 */
async function startNginx(root: string): Promise<Started> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "bench-nginx-"));
  const conf = join(dir, "nginx.conf");
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((kind) => `${kind}_temp_path ${dir}/${kind};`)
    .join(" ");
  writeFileSync(
    conf,
    `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log stderr;
events { worker_connections 1024; }
http { sendfile on; tcp_nopush on; types_hash_max_size 2048;
  include /etc/nginx/mime.types; default_type application/octet-stream;
  access_log off; gzip on; ${temp}
  server { listen 127.0.0.1:${port}; root ${root}; } }
`,
  );
  // Workers run as an unprivileged user: let them read the files.
  chmodSync(root, 0o755);
  chmodSync(dir, 0o755);
  // nginx prints nothing when it starts: spawnServer polls the port instead.
  const started = await spawnServer(
    NGINX,
    "nginx",
    ["-e", "stderr", "-c", conf, "-p", dir],
    /$^/,
    port,
  );
  return {
    ...started,
    stop() {
      started.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU time (user + system, ms) of `pid` and its child processes so far; Linux only. */
function cpuMs(pid: number): number | undefined {
  try {
    let ticks = 0;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "latin1")
      .split(" ")
      .filter(Boolean);
    for (const id of [String(pid), ...children]) {
      // Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
      const stat = readFileSync(`/proc/${id}/stat`, "latin1");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

async function checkSame(server: Started, files: Record<string, string>) {
  for (const [path, digest] of Object.entries(files)) {
    const response = await fetch(`http://127.0.0.1:${server.port}/${path}`);
    const body = Buffer.from(await response.arrayBuffer());
    const got = createHash("sha256").update(body).digest("hex");
    const ok = response.status === 200 && got === digest;
    console.log(`  ${ok ? "✔" : "✘"} ${server.name} /${path}`);
    if (!ok) throw new Error(`${server.name} served different bytes for /${path}`);
  }
}

const USE_WRK = process.env.BENCH_LOADER !== "autocannon" && has("wrk", ["--version"]);
const WRK_UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

interface Load {
  rps: number;
  bytesPerSecond: number;
  requests: number;
  bytes: number;
}

/** Loads `path` for `seconds`; wrk (C, one thread) when installed, else autocannon. */
function load(port: number, path: string, connections: number, seconds: number): Promise<Load> {
  return USE_WRK
    ? loadWrk(port, path, connections, seconds)
    : loadAutocannon(port, path, connections, seconds);
}

async function loadWrk(port: number, path: string, connections: number, seconds: number) {
  const duration = `${Math.max(1, Math.round(seconds))}s`;
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn("wrk", [
      "-t1",
      `-c${connections}`,
      `-d${duration}`,
      `http://127.0.0.1:${port}/${path}`,
    ]);
    let text = "";
    child.stdout.on("data", (d) => {
      text += d;
    });
    child.on("error", reject);
    child.on("exit", () => resolve(text));
  });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const transfer = /Transfer\/sec:\s+([\d.]+)([KMG]?)B/.exec(output);
  const totals = /(\d+) requests in [\d.]+\w+, ([\d.]+)([KMG]?)B read/.exec(output);
  if (rps === null || transfer === null || totals === null || /Non-2xx/.test(output)) {
    throw new Error(`/${path} on port ${port}: wrk said\n${output}`);
  }
  return {
    rps: Number(rps[1]),
    bytesPerSecond: Number(transfer[1]) * WRK_UNITS[transfer[2]!]!,
    requests: Number(totals[1]),
    bytes: Number(totals[2]) * WRK_UNITS[totals[3]!]!,
  };
}

async function loadAutocannon(port: number, path: string, connections: number, seconds: number) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/${path}`,
    connections,
    // A big body takes autocannon a while; too short a run would finish no request at all.
    duration: Math.max(seconds, 2),
    pipelining: 1,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`/${path} on port ${port}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return {
    rps: result.requests.average,
    bytesPerSecond: result.throughput.average,
    requests: result.requests.total,
    bytes: result.throughput.total,
  };
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Samples {
  rps: number[];
  mbps: number[];
  /** Server CPU time per 1 KB request, µs: a figure that other load on the machine moves less. */
  cpuPerRequest: number[];
  /** Server CPU time per GiB sent, ms. */
  cpuPerGiB: number[];
}

function printTable(results: Map<string, Samples>) {
  const ours = results.get(WIREWEB)!;
  const ourRps = median(ours.rps);
  const ourMbps = median(ours.mbps);
  const big = `${BIG_BYTES / 2 ** 20} MB`;
  const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "-");
  console.log(
    `\n| Server | 1 KB req/s | ${WIREWEB} is | server CPU µs/req | ${big} MiB/s | ${WIREWEB} is | server CPU ms/GiB |\n|---|---|---|---|---|---|---|`,
  );
  for (const [name, samples] of results) {
    const r = median(samples.rps);
    const m = median(samples.mbps);
    const goal = GOALS[name];
    const ratio = (value: number, target: number | undefined) =>
      name === WIREWEB
        ? "-"
        : `${value.toFixed(2)}x${target === undefined ? "" : ` (goal ≥ ${target.toFixed(1)}x${value >= target ? ", met" : ", not met"})`}`;
    console.log(
      `| ${name} | ${fmt(r)} | ${ratio(ourRps / r, goal?.small)} | ${fmt(median(samples.cpuPerRequest))} | ${fmt(m)} | ${ratio(ourMbps / m, goal?.big)} | ${fmt(median(samples.cpuPerGiB))} |`,
    );
  }
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), "bench-files-"));
  const servers: Started[] = [];
  try {
    const small = randomBytes(512).toString("hex"); // 1024 bytes of text
    writeFileSync(join(root, "1k.txt"), small);
    writeFileSync(join(root, "big.bin"), randomBytes(BIG_BYTES));
    // Written "a minute ago": a file modified within the last second is never cached (its
    // validators are weak then), and a real site's files are older than the benchmark.
    const past = new Date(Date.now() - 60_000);
    for (const name of ["1k.txt", "big.bin"]) utimesSync(join(root, name), past, past);
    const digest = (path: string) =>
      createHash("sha256")
        .update(readFileSync(join(root, path)))
        .digest("hex");
    const files = { "1k.txt": digest("1k.txt"), "big.bin": digest("big.bin") };
    console.log(
      `Node ${process.version}, ${USE_WRK ? "wrk -t1" : "autocannon"}, ${ROUNDS} round(s), 1 KB: ${SMALL_SECONDS}s x 50 connections, ` +
        `${BIG_BYTES / 2 ** 20} MB: ${BIG_SECONDS}s x 4 connections${QUICK ? " (BENCH_QUICK)" : ""}`,
    );
    servers.push(
      await spawnServer(
        WIREWEB,
        process.execPath,
        [here("servers/wireweb.mjs"), root],
        /PORT (\d+)/,
      ),
    );
    if (has("nginx", ["-v"])) servers.push(await startNginx(root));
    else console.log("  (nginx is not installed: its column is left out; `apt-get install nginx`)");
    servers.push(
      await spawnServer(SIRV, process.execPath, [here("servers/sirv.mjs"), root], /PORT (\d+)/),
    );
    console.log("Checking every server serves the same bytes:");
    for (const server of servers) await checkSame(server, files);
    // One untimed second each, so V8's compilers have seen the hot paths before anything counts
    // (a 1-second quick run of a cold Node server otherwise measures its warm-up too).
    for (const server of servers) {
      await load(server.port, "1k.txt", 50, 1);
      await load(server.port, "big.bin", 4, 1);
    }
    const results = new Map<string, Samples>();
    for (const { name } of servers) {
      results.set(name, { rps: [], mbps: [], cpuPerRequest: [], cpuPerGiB: [] });
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const server of servers) {
        const entry = results.get(server.name)!;
        const cpu0 = cpuMs(server.pid);
        const smallLoad = await load(server.port, "1k.txt", 50, SMALL_SECONDS);
        const cpu1 = cpuMs(server.pid);
        const bigLoad = await load(server.port, "big.bin", 4, BIG_SECONDS);
        const cpu2 = cpuMs(server.pid);
        entry.rps.push(smallLoad.rps);
        entry.mbps.push(bigLoad.bytesPerSecond / 2 ** 20);
        if (cpu0 !== undefined && cpu1 !== undefined && cpu2 !== undefined) {
          entry.cpuPerRequest.push(((cpu1 - cpu0) * 1000) / smallLoad.requests);
          entry.cpuPerGiB.push((cpu2 - cpu1) / (bigLoad.bytes / 2 ** 30));
        }
        console.log(
          `  round ${round} ${server.name}: ${Math.round(smallLoad.rps)} req/s, ${Math.round(bigLoad.bytesPerSecond / 2 ** 20)} MiB/s`,
        );
      }
    }
    printTable(results);
  } finally {
    for (const server of servers) server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
