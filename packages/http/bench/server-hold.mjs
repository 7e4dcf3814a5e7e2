/**
 * Opens `count` keep-alive connections to `port`, makes one request on each, and holds them
 * idle until stdin closes. Run by bench/server.ts in its own process (with a raised fd limit).
 * Prints `HELD <n>` once every connection has had its response.
 */
import { connect } from "node:net";

const port = Number(process.argv[2]);
const count = Number(process.argv[3]);
const BATCH = 500;
const REQUEST = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n";

/** @returns {Promise<import("node:net").Socket>} */
function open() {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("error", reject);
    socket.once("connect", () => socket.write(REQUEST));
    socket.once("data", () => {
      socket.off("error", reject);
      socket.on("error", () => {});
      resolve(socket);
    });
  });
}

/** @type {import("node:net").Socket[]} */
const sockets = [];
for (let i = 0; i < count; i += BATCH) {
  const batch = Math.min(BATCH, count - i);
  sockets.push(...(await Promise.all(Array.from({ length: batch }, open))));
}
process.stdout.write(`HELD ${sockets.length}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  for (const socket of sockets) socket.destroy();
  process.exit(0);
});
