/**
 * Side-by-side static file serving benchmark (`pnpm --filter file-server bench`):
 * wireweb's file-server against sirv on node:http, serve-handler on node:http, Python's
 * http.server (the chapter's server) and, when installed, nginx (one worker) as the ceiling.
 * Requests/s on a 1 KB file (keep-alive, 50 connections) and MB/s on a 100 MB file
 * (4 connections), measured by autocannon on loopback, rounds interleaved, medians reported.
 * Every contender's bytes are checked against the file before anything is timed.
 * BENCH_QUICK=1: one short round on an 8 MB file, so CI proves the script still works.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const QUICK = process.env.BENCH_QUICK === "1";
const ROUNDS = QUICK ? 1 : 5;
const SMALL_SECONDS = QUICK ? 0.5 : 3;
const BIG_SECONDS = QUICK ? 1 : 4;
const BIG_BYTES = (QUICK ? 8 : 100) * 1024 * 1024;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

interface Contender {
  name: string;
  start(root: string): Promise<Started>;
}

/** Whether `command` exists (some tools, like wrk, exit non-zero even for their version). */
function has(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).error === undefined;
}

interface Started {
  port: number;
  /** The server's process id, for CPU accounting (its children are counted too). */
  pid: number;
  stop(): void;
}

/**
 * Spawns a server and waits until it is ready: its output matches `portPattern` (the port is
 * the first group), or, with `fixedPort`, a request on that port succeeds.
 */
function spawnServer(command: string, args: string[], portPattern: RegExp, fixedPort?: number) {
  return new Promise<Started>((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let ready = false;
    const stop = () => child.kill("SIGTERM");
    const done = (port: number) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      resolve({ port, pid: child.pid!, stop });
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${command} did not start: ${output}`));
    }, 10_000);
    const onData = (data: Buffer) => {
      output += data;
      const match = portPattern.exec(output);
      if (match && fixedPort === undefined) done(Number(match[1]));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${command} exited ${code}: ${output}`));
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const contenders: Contender[] = [
  {
    name: "wireweb file-server",
    start: (root) =>
      spawnServer(
        process.execPath,
        [here("../dist/main.js"), "--root", root, "--port", "0", "--host", "127.0.0.1", "--quiet"],
        /http:\/\/127\.0\.0\.1:(\d+)\//,
      ),
  },
  {
    name: "sirv (node:http)",
    start: (root) => spawnServer(process.execPath, [here("servers/sirv.mjs"), root], /PORT (\d+)/),
  },
  {
    name: "serve-handler (node:http)",
    start: (root) =>
      spawnServer(process.execPath, [here("servers/serve-handler.mjs"), root], /PORT (\d+)/),
  },
];
if (has("python3", ["--version"])) {
  contenders.push({
    name: "python3 -m http.server",
    start: (root) =>
      spawnServer(
        "python3",
        ["-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", root, "0"],
        /port (\d+)/,
      ),
  });
}
if (has("nginx", ["-v"])) {
  contenders.push({
    name: "nginx (1 worker, ceiling)",
    async start(root) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), "bench-nginx-"));
      const conf = join(dir, "nginx.conf");
      writeFileSync(
        conf,
        `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log stderr;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 1000000;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  types { text/plain txt; application/octet-stream bin; }
  server { listen 127.0.0.1:${port}; root ${root}; } }
`,
      );
      // Workers run as an unprivileged user: let them read the files.
      chmodSync(root, 0o755);
      chmodSync(dir, 0o755);
      // nginx prints nothing when it starts: spawnServer polls the port instead.
      const started = await spawnServer(
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
    },
  });
}

// BENCH_ONLY=regex keeps only matching contenders (sirv always stays: it is the baseline).
const only = process.env.BENCH_ONLY;
if (only !== undefined && only !== "") {
  const keep = new RegExp(only, "i");
  for (let i = contenders.length - 1; i >= 0; i--) {
    const { name } = contenders[i]!;
    if (!keep.test(name) && !name.startsWith("sirv")) contenders.splice(i, 1);
  }
}

async function checkSame(port: number, name: string, files: Record<string, string>) {
  for (const [path, digest] of Object.entries(files)) {
    const response = await fetch(`http://127.0.0.1:${port}/${path}`);
    const body = Buffer.from(await response.arrayBuffer());
    const got = createHash("sha256").update(body).digest("hex");
    const ok = response.status === 200 && got === digest;
    console.log(`  ${ok ? "✔" : "✘"} ${name} /${path}`);
    if (!ok) throw new Error(`${name} served different bytes for /${path}`);
  }
}

const USE_WRK = process.env.BENCH_LOADER !== "autocannon" && has("wrk", ["--version"]);
const WRK_UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Loads `path` for `seconds`; wrk (C, one thread) when installed, else autocannon. */
async function load(port: number, path: string, connections: number, seconds: number) {
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
  const sirv = results.get("sirv (node:http)")!;
  const sirvRps = median(sirv.rps);
  const sirvMbps = median(sirv.mbps);
  const big = `${BIG_BYTES / 2 ** 20} MB`;
  console.log(
    `\n| Server | 1 KB req/s | x sirv | server CPU µs/req | ${big} MiB/s | x sirv | server CPU ms/GiB |\n|---|---|---|---|---|---|---|`,
  );
  const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "-");
  for (const [name, samples] of results) {
    const r = median(samples.rps);
    const m = median(samples.mbps);
    console.log(
      `| ${name} | ${fmt(r)} | ${(r / sirvRps).toFixed(2)} | ${fmt(median(samples.cpuPerRequest))} | ${fmt(m)} | ${(m / sirvMbps).toFixed(2)} | ${fmt(median(samples.cpuPerGiB))} |`,
    );
  }
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), "bench-files-"));
  try {
    const small = randomBytes(512).toString("hex"); // 1024 bytes of text
    writeFileSync(join(root, "1k.txt"), small);
    writeFileSync(join(root, "big.bin"), randomBytes(BIG_BYTES));
    const digest = (path: string) =>
      createHash("sha256")
        .update(readFileSync(join(root, path)))
        .digest("hex");
    const files = { "1k.txt": digest("1k.txt"), "big.bin": digest("big.bin") };
    console.log(
      `Node ${process.version}, ${USE_WRK ? "wrk -t1" : "autocannon"}, ${ROUNDS} round(s), 1 KB: ${SMALL_SECONDS}s x 50 connections, ` +
        `${BIG_BYTES / 2 ** 20} MB: ${BIG_SECONDS}s x 4 connections${QUICK ? " (BENCH_QUICK)" : ""}`,
    );
    const results = new Map<string, Samples>();
    for (const c of contenders)
      results.set(c.name, { rps: [], mbps: [], cpuPerRequest: [], cpuPerGiB: [] });
    console.log("Checking every contender serves the same bytes:");
    for (const contender of contenders) {
      const server = await contender.start(root);
      try {
        await checkSame(server.port, contender.name, files);
      } finally {
        server.stop();
      }
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const contender of contenders) {
        const server = await contender.start(root);
        try {
          const entry = results.get(contender.name)!;
          const cpu0 = cpuMs(server.pid);
          const small = await load(server.port, "1k.txt", 50, SMALL_SECONDS);
          const cpu1 = cpuMs(server.pid);
          const big = await load(server.port, "big.bin", 4, BIG_SECONDS);
          const cpu2 = cpuMs(server.pid);
          entry.rps.push(small.rps);
          entry.mbps.push(big.bytesPerSecond / 2 ** 20);
          if (cpu0 !== undefined && cpu1 !== undefined && cpu2 !== undefined) {
            entry.cpuPerRequest.push(((cpu1 - cpu0) * 1000) / small.requests);
            entry.cpuPerGiB.push((cpu2 - cpu1) / (big.bytes / 2 ** 30));
          }
          console.log(
            `  round ${round} ${contender.name}: ${Math.round(small.rps)} req/s, ${Math.round(big.bytesPerSecond / 2 ** 20)} MiB/s`,
          );
        } finally {
          server.stop();
        }
      }
    }
    printTable(results);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
