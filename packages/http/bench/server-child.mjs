/**
 * One contender of bench/server.ts and bench/tls.ts, run in its own process: `wireweb` (this
 * package's build in dist/, plain JavaScript so no TypeScript loader weighs on memory or
 * speed), `node` (node:http), `socket` (no HTTP at all, the ceiling), or `wireweb-tls` and
 * `node-tls` (node:https) over TLS, all sending the same bytes. Prints `PORT <n>` when listening; answers `rss` on
 * stdin with `RSS <bytes>` and `cpu` with `CPU <user µs> <system µs>` used so far.
 */
import { readFileSync } from "node:fs";
import { createServer as createNodeServer } from "node:http";
import { createServer as createNodeTlsServer } from "node:https";
import { createServer as createNetServer } from "node:net";
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

const END = "\r\n\r\n";

/** Counts the CRLFCRLFs that end request heads in a stream of reads (bodyless requests only). */
class HeadEnds {
  /** How many bytes of a CRLFCRLF the previous read ended with. */
  #partial = 0;

  /** @param {Buffer} chunk */
  count(chunk) {
    let count = 0;
    let at = 0;
    if (this.#partial > 0) {
      const rest = END.slice(this.#partial);
      if (chunk.toString("latin1", 0, rest.length) === rest) {
        count++;
        at = rest.length;
      }
    }
    for (let end = chunk.indexOf(END, at); end !== -1; end = chunk.indexOf(END, at)) {
      count++;
      at = end + 4;
    }
    const tail = chunk.toString("latin1", Math.max(at, chunk.length - 3));
    this.#partial = 0;
    for (let n = Math.min(3, tail.length); n > 0 && this.#partial === 0; n--) {
      if (tail.endsWith(END.slice(0, n))) this.#partial = n;
    }
    return count;
  }
}

/**
 * The ceiling: a net.Socket server that does no HTTP at all. It counts the CRLFCRLFs in each
 * read and writes that many copies of the same response bytes, so what it costs is about what
 * Node's sockets cost: an HTTP server on them can hardly be cheaper.
 */
function listenSocket() {
  const head = `HTTP/1.1 200 OK\r\n${Object.entries(HEADERS)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}Date: `;
  let second = -1;
  let response = Buffer.alloc(0);
  const responseNow = () => {
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) {
      second = now;
      const date = new Date(now * 1000).toUTCString();
      response = Buffer.concat([Buffer.from(`${head}${date}\r\n\r\n`, "latin1"), BODY]);
    }
    return response;
  };
  const server = createNetServer((socket) => {
    socket.setNoDelay(true);
    socket.on("error", () => {});
    const ends = new HeadEnds();
    socket.on("data", (chunk) => {
      const count = ends.count(chunk);
      if (count === 1) socket.write(responseNow());
      else if (count > 1) socket.write(Buffer.concat(Array(count).fill(responseNow())));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });
}

/** `wireweb-tls`/`node-tls`: HTTPS with the key and certificate named by BENCH_TLS_KEY/_CERT. */
const tls = () => ({
  key: readFileSync(process.env.BENCH_TLS_KEY ?? ""),
  cert: readFileSync(process.env.BENCH_TLS_CERT ?? ""),
});

/** @param {string} kind */
async function listen(kind) {
  if (kind === "socket") return listenSocket();
  if (kind === "wireweb" || kind === "wireweb-tls") {
    const server = createServer(
      (_request, response) => response.writeHead(200, HEADERS).end(BODY),
      {
        timeouts: { idleMs: IDLE_MS, headersMs: IDLE_MS },
        maxConnections: 20_000,
        ...(kind === "wireweb-tls" ? { tls: tls() } : {}),
      },
    );
    return (await server.listen(0, "127.0.0.1")).port;
  }
  /** @type {import("node:http").RequestListener} */
  const handler = (_request, response) => {
    response.writeHead(200, HEADERS);
    response.end(BODY);
  };
  const server =
    kind === "node-tls" ? createNodeTlsServer(tls(), handler) : createNodeServer(handler);
  server.keepAliveTimeout = IDLE_MS;
  server.headersTimeout = IDLE_MS;
  server.maxRequestsPerSocket = 0;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

const kind = process.argv[2] ?? "";
if (!["wireweb", "node", "socket", "wireweb-tls", "node-tls"].includes(kind)) {
  throw new RangeError(`unknown server kind ${kind}`);
}
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
