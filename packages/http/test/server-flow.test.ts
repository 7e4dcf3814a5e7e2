import { describe, expect, it } from "vitest";
import type { IncomingRequest } from "../src/request.js";
import { get, RawClient, settled, start, until } from "./server-helpers.js";

// Only for time that is the scenario itself (a client or a handler that takes a while), never to
// wait for the server to get somewhere: that is what `until` and `settled` are for.
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("backpressure", () => {
  it("makes a handler's writes wait for a slow reader instead of buffering", async () => {
    const CHUNK = 64 * 1024;
    const TOTAL = 1600; // 100 MiB if nothing held the handler back
    let written = 0;
    const { port } = await start(async (_request, response) => {
      const chunk = Buffer.alloc(CHUNK, 0x61);
      response.setHeader("Content-Length", CHUNK * TOTAL);
      for (let i = 0; i < TOTAL; i++) {
        await response.write(chunk);
        written++;
      }
      await response.end();
    });
    const client = await RawClient.connect(port);
    client.socket.pause();
    client.write(get("/big"));
    // Let the handler run until the socket buffers and the kernel's are full.
    const stalledAt = await settled(() => written);
    // Loopback buffers hold a few MiB at most; the rest must be waiting in the handler.
    expect(stalledAt).toBeLessThan(TOTAL);
    expect(stalledAt * CHUNK).toBeLessThan(16 * 1024 * 1024);

    let received = 0;
    client.socket.removeAllListeners("data");
    client.socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
    });
    client.socket.resume();
    await until(() => written === TOTAL, 20_000);
    await until(() => received >= CHUNK * TOTAL, 20_000);
  }, 30_000);

  it("stops parsing pipelined requests while their answers are not being read", async () => {
    const COUNT = 2000;
    let handled = 0;
    const body = Buffer.alloc(16 * 1024, 0x63);
    const { port } = await start((_request, response) => {
      handled++;
      return response.end(body);
    });
    const client = await RawClient.connect(port);
    client.socket.pause();
    client.write(get("/").repeat(COUNT));
    const stalledAt = await settled(() => handled);
    // 32 MiB of answers would be queued in memory if parsing went on regardless.
    expect(stalledAt).toBeLessThan(COUNT / 2);
    let received = 0;
    client.socket.removeAllListeners("data");
    client.socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
    });
    client.socket.resume();
    await until(() => handled === COUNT, 20_000);
    await until(() => received >= COUNT * body.length, 20_000);
  }, 30_000);

  it("drops a client that reads nothing of a response for bodyMs", async () => {
    let failure: unknown;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const { port, server } = await start(
      async (_request, response) => {
        const chunk = Buffer.alloc(256 * 1024);
        try {
          for (let i = 0; i < 1000; i++) await response.write(chunk);
        } catch (error) {
          failure = error;
        }
        done();
      },
      { timeouts: { bodyMs: 200 } },
    );
    const client = await RawClient.connect(port);
    client.socket.pause();
    client.write(get("/"));
    await finished;
    expect((failure as { code?: string }).code).toBe("WW_HTTP_CONNECTION_CLOSED");
    await until(() => server.connections === 0);
  });

  it("reads a request body from the socket only as the handler consumes it", async () => {
    const BODY = 32 * 1024 * 1024;
    let request: IncomingRequest | undefined;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { port } = await start(
      async (req, response) => {
        request = req as IncomingRequest;
        await gate;
        let total = 0;
        for await (const chunk of req) total += chunk.length;
        await response.end(String(total));
      },
      { limits: { maxBodyBytes: BODY } },
    );
    const client = await RawClient.connect(port);
    client.write(`POST / HTTP/1.1\r\nHost: t\r\nContent-Length: ${BODY}\r\n\r\n`);
    const piece = Buffer.alloc(1024 * 1024, 0x62);
    for (let i = 0; i < BODY / piece.length; i++) client.socket.write(piece);
    await until(() => request !== undefined);
    const receivedWhileWaiting = await settled(() => request!.received);
    // One high-water mark queued plus what sits in socket buffers; never the whole body.
    expect(receivedWhileWaiting).toBeLessThan(1024 * 1024);
    expect(client.socket.writableLength).toBeGreaterThan(0);
    release();
    const response = await client.response({ timeoutMs: 20_000 });
    expect(response.body.toString()).toBe(String(BODY));
  }, 30_000);

  it("delivers the end of a body whose last piece fills the queue (no more bytes to come)", async () => {
    // 64 KiB is the queue's high-water mark: the last piece pauses the parser right before the
    // message's end, and no byte follows to resume it; reading must deliver the end anyway.
    const BODY = 64 * 1024;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let request: IncomingRequest | undefined;
    const { port } = await start(async (req, response) => {
      request = req as IncomingRequest;
      await gate;
      const body = await req.body();
      await response.end(String(body.length));
    });
    const client = await RawClient.connect(port);
    client.write(`POST / HTTP/1.1\r\nHost: t\r\nContent-Length: ${BODY}\r\n\r\n`);
    client.socket.write(Buffer.alloc(BODY, 0x62));
    await until(() => request !== undefined && request.received === BODY);
    release();
    const response = await client.response({ timeoutMs: 3000 });
    expect(response.body.toString()).toBe(String(BODY));
  });
});

describe("timeouts", () => {
  const timeouts = { headersMs: 150, idleMs: 150, bodyMs: 150 };

  it("answers a slowloris client 408 and drops it", async () => {
    let called = false;
    const { port } = await start(
      (_request, response) => {
        called = true;
        return response.end();
      },
      { timeouts },
    );
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: t\r\n");
    const trickle = setInterval(() => {
      if (!client.closed) client.write("X-Slow: 1\r\n");
    }, 20);
    try {
      const response = await client.response();
      expect(response.status).toBe(408);
      expect(response.headers.connection).toBe("close");
      await client.waitClosed();
    } finally {
      clearInterval(trickle);
    }
    expect(called).toBe(false);
  });

  it("closes a connection that sends nothing, quietly", async () => {
    const { port } = await start((_request, response) => response.end(), { timeouts });
    const client = await RawClient.connect(port);
    expect(await client.readToEnd()).toBe("");
  });

  it("closes an idle keep-alive connection quietly after its last response", async () => {
    // headersMs well above the client's pause: with 150 ms, a loaded CI machine's scheduling
    // could run the head deadline out first (seen once under coverage on Node 24).
    const { port } = await start((_request, response) => response.end("ok"), {
      timeouts: { ...timeouts, headersMs: 2_000 },
    });
    const client = await RawClient.connect(port);
    await pause(100); // a client that takes its time, within headersMs
    client.write(get("/"));
    expect((await client.response()).status).toBe(200);
    const before = Date.now();
    expect(await client.readToEnd()).toBe("");
    expect(Date.now() - before).toBeGreaterThanOrEqual(100);
  });

  it("does not time out a handler that takes longer than every timeout", async () => {
    const { port } = await start(
      async (_request, response) => {
        await pause(400);
        await response.end("slow but fine");
      },
      { timeouts },
    );
    const client = await RawClient.connect(port);
    client.write(get("/"));
    expect((await client.response()).body.toString()).toBe("slow but fine");
  });

  it("answers 408 when body bytes stop arriving while the handler reads", async () => {
    const { port, errors } = await start(
      async (request, response) => {
        await response.end(await request.text());
      },
      { timeouts },
    );
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
    const response = await client.response();
    expect(response.status).toBe(408);
    expect(response.headers.connection).toBe("close");
    await client.waitClosed();
    expect(errors).toEqual([]);
  });
});
