// Twin of one-shot.py on node:net: one connection, one answer, then it exits. Unlike the
// Python, it reads until the end of the request head (a head may arrive in several pieces)
// and says how long the body is. Run: pnpm --filter examples one-shot
import { createServer, type Server } from "node:net";
import { isMain, portFromEnv } from "./main.js";

const PAGE = "<html><body><h1>hello</h1></body></html>";
const HEAD_END = "\r\n\r\n";
const MAX_HEAD = 16 * 1024;

export interface OneShot {
  url: string;
  /** Resolves with the raw request head once the one connection is answered. */
  done: Promise<string>;
  server: Server;
}

/** Listens on `port` (0: any free one), serves exactly one connection, then closes. */
export async function serveOnce(port: number, log = console.log): Promise<OneShot> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, "localhost", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  const done = new Promise<string>((resolve, reject) => {
    server.once("connection", (socket) => {
      server.close(); // one connection only, like listen(1) + one accept()
      log(`Connected by ${socket.remoteAddress}:${socket.remotePort}`);
      let head = "";
      socket.setEncoding("latin1");
      socket.on("data", (chunk: string) => {
        head += chunk;
        const end = head.indexOf(HEAD_END);
        if (end === -1 && head.length < MAX_HEAD) return; // wait for the rest of the head
        head = end === -1 ? head : head.slice(0, end);
        socket.removeAllListeners("data");
        log(head);
        const body = Buffer.from(PAGE);
        socket.end(
          `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${PAGE}`,
        );
        socket.once("close", () => resolve(head));
      });
      socket.on("error", reject);
    });
  });
  return { url: `http://localhost:${address.port}/`, done, server };
}

if (isMain(import.meta.url)) {
  const { url, done } = await serveOnce(portFromEnv());
  console.log(`Serving one connection on ${url}`);
  await done;
}
