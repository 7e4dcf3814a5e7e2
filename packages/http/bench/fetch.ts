/**
 * The same Hono app served by @wireweb/http's fetch adapter (createFetchServer) and by
 * @hono/node-server (with its defaults, which include its own lightweight Request and Response),
 * side by side in one run: each in a child process, the same bytes checked first (one response
 * and 16 pipelined ones per route), then loaded with autocannon, and wrk when installed, on a
 * plain-text and a JSON route, keep-alive and 16-deep pipelining.
 *
 *   npx tsx bench/fetch.ts                  # about 2 minutes
 *   BENCH_QUICK=1 npx tsx bench/fetch.ts    # a few seconds (CI)
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

const KINDS = ["wireweb", "hono-node"] as const;
type Kind = (typeof KINDS)[number];
const ROUTES = ["/", "/json"] as const;
/** Keep-alive goal of issue 14: the engine's margin over node:http, kept through the adapter. */
const KEEP_ALIVE_GOAL = 1.25;

type Server = { child: Child; port: number };

async function startServer(kind: Kind): Promise<Server> {
  const child = new Child("fetch-child.mjs", [kind], false);
  const port = Number(await child.next("PORT", 30_000));
  return { child, port };
}

/** Both servers must send the same bytes (Date aside), alone and 16 pipelined, on every route. */
async function checkSameBytes(servers: Record<Kind, Server>): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const route of ROUTES) {
    const request = `GET ${route} HTTP/1.1\r\nHost: bench\r\n\r\n`;
    const reference = servers["hono-node"].port;
    const probe = await rawExchange(reference, request, 1);
    const size = (await rawExchange(reference, request, Buffer.byteLength(probe, "latin1"))).length;
    let first: string | undefined;
    for (const kind of KINDS) {
      const one = withoutDate(await rawExchange(servers[kind].port, request, size));
      const many = withoutDate(
        await rawExchange(servers[kind].port, request.repeat(16), size * 16),
      );
      if (many !== one.repeat(16)) throw new Error(`${kind} ${route}: pipelined responses differ`);
      first ??= one;
      if (one !== first) {
        throw new Error(
          `${route}: responses differ:\n${JSON.stringify(first)}\n${JSON.stringify(one)}`,
        );
      }
    }
    sizes[route] = size;
  }
  return sizes;
}

interface Row {
  route: string;
  name: string;
  tool: string;
  rate: Record<Kind, number>;
  cpu: Record<Kind, Cpu>;
  goal: number | undefined;
}

async function throughput(servers: Record<Kind, Server>, scriptDir: string): Promise<Row[]> {
  const tools: Array<[string, (port: number, depth: number, path: string) => Promise<Load>]> = [
    ["autocannon", runAutocannon],
  ];
  if (hasWrk()) tools.push(["wrk", (port, depth, path) => runWrk(port, depth, scriptDir, path)]);
  else console.log("wrk not installed: autocannon only");
  const cases: Array<[string, number, number | undefined]> = [
    [`keep-alive, ${CONNECTIONS} connections`, 1, KEEP_ALIVE_GOAL],
    [`pipelining 16, ${CONNECTIONS} connections`, 16, undefined],
  ];
  const rows: Row[] = [];
  for (const route of ROUTES) {
    for (const [name, depth, goal] of cases) {
      for (const [tool, run] of tools) {
        const rates: Record<Kind, number[]> = { wireweb: [], "hono-node": [] };
        const cpus: Record<Kind, Cpu[]> = { wireweb: [], "hono-node": [] };
        if (!QUICK) for (const kind of KINDS) await run(servers[kind].port, depth, route);
        // Alternate the contenders so that drift on a shared machine hits both alike.
        for (let round = 0; round < ROUNDS; round++) {
          for (const kind of KINDS) {
            const before = await cpuOf(servers[kind]);
            const load = await run(servers[kind].port, depth, route);
            const after = await cpuOf(servers[kind]);
            cpus[kind].push({
              user: (after.user - before.user) / load.total,
              system: (after.system - before.system) / load.total,
            });
            rates[kind].push(load.rate);
          }
        }
        const row: Row = {
          route,
          name,
          tool,
          rate: { wireweb: median(rates.wireweb), "hono-node": median(rates["hono-node"]) },
          cpu: { wireweb: medianCpu(cpus.wireweb), "hono-node": medianCpu(cpus["hono-node"]) },
          goal,
        };
        console.log(
          `  ${route} ${name} (${tool}): ${fmt(row.rate.wireweb)} vs ${fmt(row.rate["hono-node"])} req/s, ${cpuText(row.cpu.wireweb)} vs ${cpuText(row.cpu["hono-node"])} µs CPU/req`,
        );
        rows.push(row);
      }
    }
  }
  return rows;
}

async function main(): Promise<void> {
  console.log(
    `Hono on @wireweb/http (createFetchServer) vs @hono/node-server — Node ${process.version}, ${QUICK ? "BENCH_QUICK" : "full"} run, ${SECONDS}s x ${ROUNDS} rounds per contender`,
  );
  ensureBuilt();
  const scriptDir = mkdtempSync(join(tmpdir(), "wireweb-fetch-bench-"));
  const servers = {} as Record<Kind, Server>;
  try {
    for (const kind of KINDS) servers[kind] = await startServer(kind);
    const sizes = await checkSameBytes(servers);
    for (const route of ROUTES) {
      console.log(`✔ ${route}: both send the same ${sizes[route]} bytes per response`);
    }
    const rows = await throughput(servers, scriptDir);
    console.log(
      "\n| route | case | load tool | wireweb req/s | @hono/node-server req/s | ratio | goal | server CPU µs/req, user + system (wireweb / node-server) | CPU ratio |",
    );
    console.log("|---|---|---|--:|--:|--:|--:|--:|--:|");
    for (const row of rows) {
      const ratio = row.rate.wireweb / row.rate["hono-node"];
      const cpuRatio = total(row.cpu["hono-node"]) / total(row.cpu.wireweb);
      const goal = row.goal === undefined ? "" : `≥ ${row.goal}x ${ratio >= row.goal ? "✔" : "✘"}`;
      console.log(
        `| ${row.route} | ${row.name} | ${row.tool} | ${fmt(row.rate.wireweb)} | ${fmt(row.rate["hono-node"])} | ${ratio.toFixed(2)}x | ${goal} | ${cpuText(row.cpu.wireweb)} / ${cpuText(row.cpu["hono-node"])} | ${cpuRatio.toFixed(2)}x |`,
      );
    }
    console.log(
      `\nMedians of ${ROUNDS} run(s)${QUICK ? " (no warm-up in BENCH_QUICK)" : " after one warm-up each"}; CPU ratio = node-server's CPU per request / wireweb's.`,
    );
  } finally {
    for (const kind of KINDS) await servers[kind]?.child.stop();
    rmSync(scriptDir, { recursive: true, force: true });
  }
}

await main();
