/**
 * @wireweb/http over TLS against node:https, side by side in one run: both in child processes
 * with the same P-256 certificate (made here with the openssl CLI), sending the same bytes
 * (checked first). Cases: keep-alive with autocannon (the TLS record layer plus HTTP), and a new
 * TLS connection per request (a full handshake each time, no session resumption).
 *
 *   npx tsx bench/tls.ts                  # ~1 minute
 *   BENCH_QUICK=1 npx tsx bench/tls.ts    # a few seconds (CI)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import autocannon from "autocannon";
import {
  Child,
  CONNECTIONS,
  cpuOf,
  ensureBuilt,
  fmt,
  median,
  QUICK,
  ROUNDS,
  SECONDS,
  total,
  withoutDate,
} from "./harness.js";

/** Clients opening connections at once in the new-connection case. */
const HANDSHAKERS = QUICK ? 4 : 8;
const KINDS = ["wireweb-tls", "node-tls"] as const;
type Kind = (typeof KINDS)[number];
const REQUEST = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";

type Server = { child: Child; port: number };

function makeCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
    ],
    { stdio: "ignore" },
  );
  return { key, cert };
}

/**
 * One request on a new TLS connection; resolves with what was received once `bytes` bytes have
 * come (-1: once a whole Content-Length response has).
 */
function oneRequest(port: number, bytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1", rejectUnauthorized: false }, () =>
      socket.write(REQUEST),
    );
    const chunks: Buffer[] = [];
    let length = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out after ${length} of ${bytes} bytes`));
    }, 5000);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= (bytes === -1 ? responseSize(Buffer.concat(chunks)) : bytes)) {
        clearTimeout(timer);
        socket.end();
        resolve(Buffer.concat(chunks).toString("latin1"));
      }
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The size of the response at the start of `received` by its Content-Length; Infinity if unknown yet. */
function responseSize(received: Buffer): number {
  const text = received.toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  const length = /\r\nContent-Length: (\d+)/i.exec(text);
  return end === -1 || !length ? Number.POSITIVE_INFINITY : end + 4 + Number(length[1]);
}

async function checkSameBytes(ports: Record<Kind, number>): Promise<number> {
  const size = (await oneRequest(ports["node-tls"], -1)).length;
  let reference: string | undefined;
  for (const kind of KINDS) {
    const one = withoutDate(await oneRequest(ports[kind], size));
    reference ??= one;
    if (one !== reference) {
      throw new Error(`responses differ:\n${JSON.stringify(reference)}\n${JSON.stringify(one)}`);
    }
  }
  return size;
}

async function keepAlive(port: number): Promise<number> {
  const result = await autocannon({
    url: `https://127.0.0.1:${port}/`,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(`autocannon: ${result.errors} errors, ${result.non2xx} non-2xx`);
  }
  return result.requests.total;
}

/** Requests answered in SECONDS, each on a new TLS connection (full handshake). */
async function newConnections(port: number, size: number): Promise<number> {
  const deadline = Date.now() + SECONDS * 1000;
  let count = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      await oneRequest(port, size);
      count++;
    }
  };
  await Promise.all(Array.from({ length: HANDSHAKERS }, worker));
  return count;
}

async function main(): Promise<void> {
  console.log(
    `@wireweb/http over TLS vs node:https — Node ${process.version}, ${QUICK ? "BENCH_QUICK" : "full"} run, ${SECONDS}s x ${ROUNDS} rounds per contender`,
  );
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), "wireweb-bench-tls-"));
  const servers = {} as Record<Kind, Server>;
  try {
    const { key, cert } = makeCertificate(dir);
    // The children inherit the environment: it names the key and certificate files.
    process.env.BENCH_TLS_KEY = key;
    process.env.BENCH_TLS_CERT = cert;
    for (const kind of KINDS) {
      const child = new Child("server-child.mjs", [kind], false);
      servers[kind] = { child, port: Number(await child.next("PORT", 30_000)) };
    }
    const ports = {
      "wireweb-tls": servers["wireweb-tls"].port,
      "node-tls": servers["node-tls"].port,
    };
    const size = await checkSameBytes(ports);
    console.log(`✔ both send the same ${size} bytes per response over TLS`);

    const cases: Array<[string, (port: number) => Promise<number>, number]> = [
      [`HTTPS keep-alive, ${CONNECTIONS} connections (autocannon)`, keepAlive, 1.2],
      [
        `new TLS connection per request, ${HANDSHAKERS} at a time`,
        (p) => newConnections(p, size),
        1.0,
      ],
    ];
    const rows: string[] = [];
    for (const [name, run, goal] of cases) {
      const rates: Record<Kind, number[]> = { "wireweb-tls": [], "node-tls": [] };
      const cpu: Record<Kind, number[]> = { "wireweb-tls": [], "node-tls": [] };
      if (!QUICK) for (const kind of KINDS) await run(servers[kind].port);
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of KINDS) {
          const before = total(await cpuOf(servers[kind]));
          const requests = await run(servers[kind].port);
          const after = total(await cpuOf(servers[kind]));
          rates[kind].push(requests / SECONDS);
          cpu[kind].push((after - before) / requests);
        }
      }
      const ours = median(rates["wireweb-tls"]);
      const theirs = median(rates["node-tls"]);
      const ourCpu = median(cpu["wireweb-tls"]);
      const theirCpu = median(cpu["node-tls"]);
      const ratio = ours / theirs;
      console.log(`  ${name}: ${fmt(ours)} vs ${fmt(theirs)} req/s`);
      rows.push(
        `| ${name} | ${fmt(ours)} | ${fmt(theirs)} | ${ratio.toFixed(2)}x | ≥ ${goal}x ${ratio >= goal ? "✔" : "✘"} | ${ourCpu.toFixed(1)} / ${theirCpu.toFixed(1)} | ${(theirCpu / ourCpu).toFixed(2)}x |`,
      );
    }
    console.log(
      "\n| case | @wireweb/http req/s | node:https req/s | ratio | goal | server CPU µs/req (wireweb / node) | CPU ratio |",
    );
    console.log("|---|--:|--:|--:|--:|--:|--:|");
    for (const row of rows) console.log(row);
    console.log(
      `\nMedians of ${ROUNDS} run(s)${QUICK ? "" : " after one warm-up each"}; the load generator runs in this process, on the same machine.`,
    );
  } finally {
    for (const kind of KINDS) await servers[kind]?.child.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
