/**
 * @wireweb/http's server against node:http, side by side in one run: both in child processes,
 * sending the same bytes (checked first), loaded with autocannon and with wrk when installed.
 * Cases: keep-alive with 50 connections, 16-deep pipelining, and 10,000 idle keep-alive
 * connections (server RSS). A third child that answers without any HTTP at all (net.Socket,
 * fixed bytes per CRLFCRLF) shows the ceiling that Node's sockets put on any server here.
 *
 *   npx tsx bench/server.ts            # ~5 minutes
 *   BENCH_QUICK=1 npx tsx bench/server.ts   # a few seconds, 1,000 idle connections (CI)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Child,
  CONNECTIONS,
  type Cpu,
  cpuOf,
  cpuText,
  ensureBuilt,
  fmt,
  hasWrk,
  type Load,
  mb,
  median,
  medianCpu,
  QUICK,
  ROUNDS,
  rawExchange,
  runAutocannon,
  runWrk,
  SECONDS,
  total,
  withoutDate,
} from "./harness.js";

const IDLE_CONNECTIONS = QUICK ? 1_000 : 10_000;
/** The two HTTP servers compared, and `socket`: net.Socket with no HTTP, the ceiling. */
const KINDS = ["wireweb", "node", "socket"] as const;
type Kind = (typeof KINDS)[number];
const HTTP_KINDS = ["wireweb", "node"] as const;
type HttpKind = (typeof HTTP_KINDS)[number];

type Server = { child: Child; port: number };

async function startServer(kind: Kind, fdLimit = false): Promise<Server> {
  const child = new Child("server-child.mjs", [kind], fdLimit);
  const port = Number(await child.next("PORT", 30_000));
  return { child, port };
}

/** The bytes each server sends: one response, and 16 pipelined ones; all must be equal. */
async function checkSameBytes(ports: Record<Kind, number>): Promise<string> {
  const request = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";
  const probe = await rawExchange(ports.node, request, 1);
  const size = (await rawExchange(ports.node, request, Buffer.byteLength(probe, "latin1"))).length;
  let reference: string | undefined;
  for (const kind of KINDS) {
    const one = withoutDate(await rawExchange(ports[kind], request, size));
    const many = withoutDate(await rawExchange(ports[kind], request.repeat(16), size * 16));
    if (many !== one.repeat(16)) throw new Error(`${kind}: pipelined responses differ`);
    reference ??= one;
    if (one !== reference) {
      throw new Error(`responses differ:\n${JSON.stringify(reference)}\n${JSON.stringify(one)}`);
    }
  }
  return reference!;
}

interface Row {
  name: string;
  tool: string;
  /** Median requests per second. */
  wireweb: number;
  node: number;
  socket: number;
  /** Median server CPU time per request, in microseconds: user (JavaScript, V8, libuv) and system (kernel). */
  wirewebCpu: Cpu;
  nodeCpu: Cpu;
  socketCpu: Cpu;
  goal: number;
}

async function throughput(servers: Record<Kind, Server>, scriptDir: string): Promise<Row[]> {
  const tools: Array<[string, (port: number, pipelining: number) => Promise<Load>]> = [
    ["autocannon", runAutocannon],
  ];
  if (hasWrk()) tools.push(["wrk", (port, depth) => runWrk(port, depth, scriptDir)]);
  else console.log("wrk not installed: autocannon only");
  const cases: Array<[string, number, number]> = [
    [`keep-alive, ${CONNECTIONS} connections`, 1, 1.8],
    [`pipelining 16, ${CONNECTIONS} connections`, 16, 3],
  ];
  const rows: Row[] = [];
  for (const [name, depth, goal] of cases) {
    for (const [tool, run] of tools) {
      const rates: Record<Kind, number[]> = { wireweb: [], node: [], socket: [] };
      const cpu: Record<Kind, Cpu[]> = { wireweb: [], node: [], socket: [] };
      // Warm both up (JIT) before timing, then alternate so drift hits both alike.
      if (!QUICK) for (const kind of KINDS) await run(servers[kind].port, depth);
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of KINDS) {
          const before = await cpuOf(servers[kind]);
          const load = await run(servers[kind].port, depth);
          // CPU per request holds up on a shared machine, where req/s depends on who else runs.
          const after = await cpuOf(servers[kind]);
          cpu[kind].push({
            user: (after.user - before.user) / load.total,
            system: (after.system - before.system) / load.total,
          });
          rates[kind].push(load.rate);
        }
      }
      const row = {
        name,
        tool,
        wireweb: median(rates.wireweb),
        node: median(rates.node),
        socket: median(rates.socket),
        wirewebCpu: medianCpu(cpu.wireweb),
        nodeCpu: medianCpu(cpu.node),
        socketCpu: medianCpu(cpu.socket),
        goal,
      };
      console.log(
        `  ${name} (${tool}): ${fmt(row.wireweb)} vs ${fmt(row.node)} req/s (no-HTTP ceiling ${fmt(row.socket)}), ${cpuText(row.wirewebCpu)} vs ${cpuText(row.nodeCpu)} (ceiling ${cpuText(row.socketCpu)}) µs CPU/req (user + system)`,
      );
      rows.push(row);
    }
  }
  return rows;
}

/** Server RSS with `IDLE_CONNECTIONS` idle keep-alive connections open, per server kind. */
async function idleMemory(): Promise<Record<HttpKind, { before: number; held: number }>> {
  const out = {} as Record<HttpKind, { before: number; held: number }>;
  for (const kind of HTTP_KINDS) {
    const { child, port } = await startServer(kind, true);
    try {
      child.send("rss");
      const before = Number(await child.next("RSS"));
      const holder = new Child("server-hold.mjs", [String(port), String(IDLE_CONNECTIONS)], true);
      try {
        const held = Number(await holder.next("HELD"));
        if (held !== IDLE_CONNECTIONS) throw new Error(`${kind}: held only ${held} connections`);
        // Let the server settle (timers armed, buffers released) before measuring.
        await new Promise((resolve) => setTimeout(resolve, QUICK ? 200 : 1000));
        child.send("rss");
        out[kind] = { before, held: Number(await child.next("RSS")) };
      } finally {
        await holder.stop();
      }
    } finally {
      await child.stop();
    }
    console.log(`  ${IDLE_CONNECTIONS} idle connections (${kind}): RSS ${mb(out[kind].held)} MB`);
  }
  return out;
}

async function main(): Promise<void> {
  console.log(
    `@wireweb/http server vs node:http — Node ${process.version}, ${QUICK ? "BENCH_QUICK" : "full"} run, ${SECONDS}s x ${ROUNDS} rounds per contender`,
  );
  ensureBuilt();
  const scriptDir = mkdtempSync(join(tmpdir(), "wireweb-bench-"));
  const servers = {} as Record<Kind, Server>;
  try {
    for (const kind of KINDS) servers[kind] = await startServer(kind);
    const ports = {
      wireweb: servers.wireweb.port,
      node: servers.node.port,
      socket: servers.socket.port,
    };
    const response = await checkSameBytes(ports);
    console.log(`✔ all send the same ${Buffer.byteLength(response, "latin1")} bytes per response`);
    const rows = await throughput(servers, scriptDir);
    for (const kind of KINDS) await servers[kind].child.stop();
    const memory = await idleMemory();

    console.log(
      "\n| case | load tool | @wireweb/http req/s | node:http req/s | ratio | goal | server CPU µs/req, user + system (wireweb / node) | CPU ratio | user-CPU ratio | no-HTTP ceiling: req/s (vs node:http), CPU µs/req |",
    );
    console.log("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (const row of rows) {
      const ratio = row.wireweb / row.node;
      const cpuRatio = total(row.nodeCpu) / total(row.wirewebCpu);
      const userRatio = row.nodeCpu.user / row.wirewebCpu.user;
      console.log(
        `| ${row.name} | ${row.tool} | ${fmt(row.wireweb)} | ${fmt(row.node)} | ${ratio.toFixed(2)}x | ≥ ${row.goal}x ${ratio >= row.goal ? "✔" : "✘"} | ${cpuText(row.wirewebCpu)} / ${cpuText(row.nodeCpu)} | ${cpuRatio.toFixed(2)}x | ${userRatio.toFixed(2)}x | ${fmt(row.socket)} (${(row.socket / row.node).toFixed(2)}x), ${cpuText(row.socketCpu)} |`,
      );
    }
    const ours = memory.wireweb.held;
    console.log(
      `| ${fmt(IDLE_CONNECTIONS)} idle keep-alive connections | server RSS | ${mb(ours)} MB | ${mb(memory.node.held)} MB | ${(ours / memory.node.held).toFixed(2)}x | < 150 MB ${ours < 150 * 1024 * 1024 ? "✔" : "✘"} | | | | |`,
    );
    console.log(
      `\nRSS before connections: ${mb(memory.wireweb.before)} MB (wireweb), ${mb(memory.node.before)} MB (node:http). Medians of ${ROUNDS} run(s) after one warm-up each (none in BENCH_QUICK).`,
    );
  } finally {
    for (const kind of KINDS) await servers[kind]?.child.stop();
    rmSync(scriptDir, { recursive: true, force: true });
  }
}

await main();
