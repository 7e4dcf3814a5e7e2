/**
 * One contender of bench/fetch.ts, in its own process: the same Hono app served by `wireweb`
 * (createFetchServer from this package's dist/) or by `hono-node` (@hono/node-server, with its
 * defaults). Prints `PORT <n>` when listening; answers `cpu` on stdin with `CPU <user µs>
 * <system µs>` used so far.
 */
import { createInterface } from "node:readline";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createFetchServer } from "../dist/index.js";

const IDLE_MS = 120_000;

function app() {
  const hono = new Hono();
  // Connection is set so that node:http adds no Keep-Alive header of its own: the two servers
  // then send the same header lines (Date aside).
  hono.use((c, next) => {
    c.header("Connection", "keep-alive");
    return next();
  });
  hono.get("/", (c) => c.text("Hello, world!\n"));
  hono.get("/json", (c) => c.json({ message: "Hello, world!", n: 42, list: [1, 2, 3] }));
  return hono;
}

/** @param {string} kind */
async function listen(kind) {
  const hono = app();
  if (kind === "wireweb") {
    const server = createFetchServer(hono.fetch, {
      timeouts: { idleMs: IDLE_MS, headersMs: IDLE_MS },
    });
    return (await server.listen(0, "127.0.0.1")).port;
  }
  const overrideGlobalObjects = kind === "hono-node";
  return new Promise((resolve) => {
    const server = serve(
      { fetch: hono.fetch, port: 0, hostname: "127.0.0.1", overrideGlobalObjects },
      (info) => resolve(info.port),
    );
    server.keepAliveTimeout = IDLE_MS;
    server.headersTimeout = IDLE_MS;
    server.maxRequestsPerSocket = 0;
  });
}

const kind = process.argv[2] ?? "";
if (kind !== "wireweb" && kind !== "hono-node" && kind !== "hono-node-plain") {
  throw new RangeError(`unknown server kind ${kind}`);
}
const port = await listen(kind);
process.stdout.write(`PORT ${port}\n`);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line === "cpu") {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`CPU ${user} ${system}\n`);
  }
});
lines.on("close", () => process.exit(0));
