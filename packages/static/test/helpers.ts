import { connect, type Socket } from "node:net";
import { createServer, type Server } from "@wireweb/http";
import { createStaticHandler, type StaticOptions } from "../src/index.js";
import { type Fixture, makeFixture } from "./fixture.js";

/** A running file server over a fresh fixture; `stop` closes everything. */
export interface Running {
  fixture: Fixture;
  server: Server;
  port: number;
  base: string;
  logged: string[];
  /** Errors the server reported through onError (handler failures). */
  errors: unknown[];
  sockets: Socket[];
  stop(): Promise<void>;
}

export async function startServer(
  options: StaticOptions & { notFoundPage?: boolean } = {},
): Promise<Running> {
  const fixture = makeFixture({ notFoundPage: options.notFoundPage });
  const logged: string[] = [];
  const errors: unknown[] = [];
  const server = createServer(
    createStaticHandler(fixture.root, { log: (line) => logged.push(line), ...options }),
    { onError: (error) => errors.push(error) },
  );
  const { port } = await server.listen(0, "127.0.0.1");
  const sockets: Socket[] = [];
  return {
    fixture,
    server,
    port,
    base: `http://127.0.0.1:${port}`,
    logged,
    errors,
    sockets,
    async stop() {
      for (const socket of sockets.splice(0)) socket.destroy();
      await server.close();
      fixture.remove();
    },
  };
}

/** A parsed raw HTTP/1.1 response. */
export interface RawResponse {
  status: number;
  head: string;
  headers: Map<string, string>;
  body: Buffer;
}

/**
 * Sends exact request bytes (with `Connection: close`, so the server ends the connection) and
 * parses what comes back: status, headers (lower-cased names), body bytes.
 */
export function rawRequest(
  running: Running,
  method: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const lines = [`${method} ${target} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return rawExchange(running, `${lines.join("\r\n")}\r\n\r\n`);
}

export function rawExchange(running: Running, bytes: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(running.port, "127.0.0.1");
    running.sockets.push(socket);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out after ${Buffer.concat(chunks).length} bytes`));
    }, 10_000);
    socket.on("data", (data) => chunks.push(data));
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const end = all.indexOf("\r\n\r\n");
      if (end < 0)
        return reject(new Error(`no response head in ${JSON.stringify(all.toString("latin1"))}`));
      const head = all.subarray(0, end).toString("latin1");
      const [statusLine = "", ...fieldLines] = head.split("\r\n");
      const fields = new Map<string, string>();
      for (const line of fieldLines) {
        const colon = line.indexOf(":");
        fields.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
      }
      resolve({
        status: Number(statusLine.split(" ")[1]),
        head,
        headers: fields,
        body: all.subarray(end + 4),
      });
    });
    socket.write(bytes, "latin1");
  });
}
