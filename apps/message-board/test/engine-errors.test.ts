import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "@wireweb/http";
import { type MessageStore, openStore } from "@wireweb/message-store";
import { afterEach, describe, expect, it } from "vitest";
import { createBoardHandler } from "../src/app.js";

// Issue 16 item 3: the engine answers a body that stalls with 408 and one cut short with 400;
// the board used to turn both into 500 and log a stack trace.

let running: { server: Server; store: MessageStore; folder: string; socket?: Socket } | undefined;

afterEach(async () => {
  if (!running) return;
  running.socket?.destroy();
  await running.server.close();
  await running.store.close();
  rmSync(running.folder, { recursive: true, force: true });
  running = undefined;
});

/** A board whose body timeout is short; `logged` collects what the board reports as a bug. */
async function startBoard(bodyMs: number) {
  const folder = mkdtempSync(join(tmpdir(), "board-engine-"));
  const store = await openStore(join(folder, "messages.log"), { onWarning() {} });
  const logged: unknown[] = [];
  const board = createBoardHandler({ store, timeZone: "UTC", onError: (e) => logged.push(e) });
  const server = createServer(board, { onError: (e) => logged.push(e), timeouts: { bodyMs } });
  const { port } = await server.listen(0, "127.0.0.1");
  running = { server, store, folder };
  return { port, logged, store };
}

/** Writes `bytes`, then (if `endAfter`) half-closes; resolves with the raw answer. */
function exchange(port: number, bytes: string, endAfter: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    if (running) running.socket = socket;
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.on("error", reject);
    // The server's FIN ends the answer (allowHalfOpen keeps our side open until then).
    socket.on("end", () => resolve(answer));
    socket.write(bytes, () => {
      if (endAfter) socket.end();
    });
  });
}

const cases = [
  { route: "/", type: "application/x-www-form-urlencoded", json: false },
  { route: "/api/messages", type: "application/json", json: true },
];

describe("engine errors reach the client with the engine's status", () => {
  it.each(cases)("a stalled POST $route body gets 408, not 500", async ({ route, type, json }) => {
    const { port, logged, store } = await startBoard(300);
    const head = `POST ${route} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: 100\r\n\r\n`;
    const answer = await exchange(port, `${head}message=hal`, false);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer.toLowerCase()).toContain("connection: close");
    if (json) expect(answer).toContain('"code":"WW_HTTP_TIMEOUT"');
    expect(answer).not.toMatch(/ at .*\.(js|ts):\d+/); // no stack trace in the body
    expect(logged).toEqual([]);
    expect((await store.list()).messages).toEqual([]);
  });

  it.each(cases)(
    "a POST $route body cut short gets 400, not 500",
    async ({ route, type, json }) => {
      const { port, logged, store } = await startBoard(10_000);
      const head = `POST ${route} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: 100\r\n\r\n`;
      const answer = await exchange(port, `${head}message=hal`, true);
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      if (json) expect(answer).toContain('"code":"WW_HTTP_INCOMPLETE_MESSAGE"');
      expect(logged).toEqual([]);
      expect((await store.list()).messages).toEqual([]);
    },
  );

  it.each(cases)(
    "a malformed chunked POST $route body gets 400, not 500",
    async ({ route, type }) => {
      const { port, logged } = await startBoard(10_000);
      const head = `POST ${route} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nTransfer-Encoding: chunked\r\n\r\n`;
      const answer = await exchange(port, `${head}5\r\nmessa\r\nzz\r\n`, false);
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(logged).toEqual([]);
    },
  );
});
