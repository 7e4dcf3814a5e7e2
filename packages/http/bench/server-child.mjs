/**
 * One contender of bench/server.ts, run in its own process: `wireweb` (this package's build in
 * dist/, plain JavaScript so no TypeScript loader weighs on memory or speed) or `node`
 * (node:http), both sending the same bytes. Prints `PORT <n>` when listening; answers `rss` on
 * stdin with `RSS <bytes>` and `cpu` with `CPU <user µs> <system µs>` used so far.
 */
import { createServer as createNodeServer } from "node:http";
import { createInterface } from "node:readline";
import { createServer } from "../dist/index.js";

const BODY = Buffer.from("Hello, world!\n");
// Connection is set explicitly so that node:http adds no Keep-Alive header of its own and
// both servers send byte-identical heads (Date aside).
const HEADERS = {
  "Content-Type": "text/plain; charset=utf-8",
  "Content-Length": String(BODY.length),
  Connection: "keep-alive",
};
// Long idle timeouts: the 10,000-connection case holds connections open for a while.
const IDLE_MS = 120_000;

/** @param {string} kind */
async function listen(kind) {
  if (kind === "wireweb") {
    const server = createServer(
      (_request, response) => response.writeHead(200, HEADERS).end(BODY),
      { timeouts: { idleMs: IDLE_MS, headersMs: IDLE_MS } },
    );
    return (await server.listen(0, "127.0.0.1")).port;
  }
  const server = createNodeServer((_request, response) => {
    response.writeHead(200, HEADERS);
    response.end(BODY);
  });
  server.keepAliveTimeout = IDLE_MS;
  server.headersTimeout = IDLE_MS;
  server.maxRequestsPerSocket = 0;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

const kind = process.argv[2] ?? "";
if (kind !== "wireweb" && kind !== "node") throw new RangeError(`unknown server kind ${kind}`);
const port = await listen(kind);
process.stdout.write(`PORT ${port}\n`);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line === "rss") process.stdout.write(`RSS ${process.memoryUsage().rss}\n`);
  if (line === "cpu") {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`CPU ${user} ${system}\n`);
  }
});
lines.on("close", () => process.exit(0));
