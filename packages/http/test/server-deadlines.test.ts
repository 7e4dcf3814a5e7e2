import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { get, RawClient, start, until } from "./server-helpers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `bytes` one at a time every `everyMs` until done or the socket closes. */
function trickle(client: RawClient, bytes: string, everyMs: number): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (client.closed || i >= bytes.length) {
      clearInterval(timer);
      return;
    }
    client.write(bytes[i++]!);
  }, everyMs);
  return () => clearInterval(timer);
}

// Small rates and short graces so that each case runs in about a second; the margins are wide
// because the machine running the tests may be loaded.
const RATE = { bytesPerSecond: 200, graceMs: 300 };

describe("minimum request data rate", { timeout: 30_000 }, () => {
  it("answers 408 to a body trickled slower than the minimum, though bytes keep coming", async () => {
    const { port, errors } = await start(
      async (request, response) => {
        await response.end(await request.text());
      },
      { minRequestDataRate: RATE },
    );
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n");
    const started = Date.now();
    // 20 bytes/s, a byte every 50 ms: bodyMs (30 s between bytes) alone would never fire.
    const stop = trickle(client, "x".repeat(1000), 50);
    try {
      const response = await client.response({ timeoutMs: 15_000 });
      expect(response.status).toBe(408);
      expect(response.headers.connection).toBe("close");
      expect(response.body.toString()).toContain("did not arrive in time");
      await client.waitClosed();
    } finally {
      stop();
    }
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(RATE.graceMs - 20);
    expect(took).toBeLessThan(15_000); // bodyMs is 30 s;
    expect(errors).toEqual([]);
  });

  it("answers 408 to a head trickled slower than the minimum, before headersMs", async () => {
    let called = false;
    const { port } = await start(
      (_request, response) => {
        called = true;
        return response.end();
      },
      { minRequestDataRate: RATE },
    );
    const client = await RawClient.connect(port);
    const started = Date.now();
    const stop = trickle(client, `GET / HTTP/1.1\r\nHost: t\r\n${"X-Slow: 1\r\n".repeat(50)}`, 50);
    try {
      const response = await client.response({ timeoutMs: 15_000 });
      expect(response.status).toBe(408);
      expect(response.body.toString()).toContain("request head did not arrive in time");
    } finally {
      stop();
    }
    // headersMs is 10 s by default: the rate, not the head deadline, cut this one.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(called).toBe(false);
  });

  it("keeps a body that arrives faster than the minimum, however long it takes", async () => {
    const { port } = await start(
      async (request, response) => {
        await response.end(String((await request.body()).length));
      },
      { minRequestDataRate: RATE },
    );
    const client = await RawClient.connect(port);
    const SIZE = 1000;
    client.write(`POST / HTTP/1.1\r\nHost: t\r\nContent-Length: ${SIZE}\r\n\r\n`);
    // 50 bytes every 50 ms = 1000 bytes/s for a second, five times the minimum.
    for (let sent = 0; sent < SIZE; sent += 50) {
      client.write("y".repeat(50));
      await sleep(50);
    }
    const response = await client.response({ timeoutMs: 15_000 });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(String(SIZE));
  });

  it("does not count the time a busy handler leaves the body unread", async () => {
    const { port } = await start(
      async (request, response) => {
        await sleep(800); // longer than the grace period: the client is not to blame
        await response.end(await request.text());
      },
      { minRequestDataRate: RATE },
    );
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nab");
    await sleep(900);
    client.write("cde");
    const response = await client.response({ timeoutMs: 15_000 });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("abcde");
  });

  it("fails the reader, not hangs it, when the deadline has passed as it starts to wait", async () => {
    // The handler blocks the event loop past the deadline before it asks for more, so the
    // deadline is found passed in the very call that starts the wait (no timer fired first).
    const { port } = await start(
      async (request, response) => {
        const chunks: string[] = [];
        try {
          for await (const chunk of request) {
            chunks.push(Buffer.from(chunk).toString());
            const until = Date.now() + 600;
            while (Date.now() < until) {} // busy: no timer can run
          }
          await response.end(chunks.join(""));
        } catch (error) {
          response.statusCode = (error as { status: number }).status;
          await response.end("failed");
        }
      },
      { minRequestDataRate: RATE },
    );
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nab");
    const response = await client.response({ timeoutMs: 15_000 });
    expect(response.status).toBe(408);
  });

  it("applies no rate when disabled with false", async () => {
    const { port } = await start(
      async (request, response) => {
        await response.end(await request.text());
      },
      { minRequestDataRate: false },
    );
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 16\r\n\r\n");
    const stop = trickle(client, "z".repeat(16), 60); // ~17 bytes/s for a second
    try {
      const response = await client.response({ timeoutMs: 15_000 });
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe("z".repeat(16));
    } finally {
      stop();
    }
  });

  it("refuses bad rate options", async () => {
    const hello = () => {};
    const { createServer } = await import("../src/server.js");
    expect(() =>
      createServer(hello, { minRequestDataRate: { bytesPerSecond: 0, graceMs: 1 } }),
    ).toThrow(/minRequestDataRate\.bytesPerSecond/);
    expect(() =>
      createServer(hello, { minResponseDataRate: { bytesPerSecond: 1, graceMs: -1 } }),
    ).toThrow(/minResponseDataRate\.graceMs/);
    expect(() => createServer(hello, { maxConnectionsPerAddress: 0 })).toThrow(RangeError);
  });
});

describe("minimum response data rate", { timeout: 30_000 }, () => {
  /** A handler writing `total` bytes in 64 KiB pieces, recording how its writes ended. */
  function bigWriter(total: number) {
    const outcome: { error?: unknown; done: boolean } = { done: false };
    const handler = async (_request: unknown, response: import("../src/types.js").HttpResponse) => {
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      response.setHeader("Content-Length", total);
      try {
        for (let sent = 0; sent < total; sent += chunk.length) await response.write(chunk);
        await response.end();
      } catch (error) {
        outcome.error = error;
      }
      outcome.done = true;
    };
    return { outcome, handler };
  }

  it("cuts a client that reads nothing once the grace period is over, long before bodyMs", async () => {
    const { outcome, handler } = bigWriter(256 * 1024 * 1024);
    const { port, server } = await start(handler, {
      // What the kernel's socket buffers take counts as read (a few MiB on loopback), so the
      // rate here is high enough that those buffers cannot pay for the whole test.
      minResponseDataRate: { bytesPerSecond: 10 * 1024 * 1024, graceMs: 300 },
    });
    const client = await RawClient.connect(port);
    client.socket.pause();
    const started = Date.now();
    client.write(get("/"));
    await until(() => outcome.done, 15_000);
    expect((outcome.error as { code?: string }).code).toBe("WW_HTTP_CONNECTION_CLOSED");
    // bodyMs (30 s without progress) did not decide this: the rate did.
    expect(Date.now() - started).toBeLessThan(15_000);
    await until(() => server.connections === 0);
  });

  it("cuts a client that reads, but slower than the minimum on average", async () => {
    const { outcome, handler } = bigWriter(256 * 1024 * 1024);
    const { port } = await start(handler, {
      // Loopback moves gigabytes a second; a reader taking one read every 100 ms is far slower.
      minResponseDataRate: { bytesPerSecond: 20 * 1024 * 1024, graceMs: 300 },
    });
    const client = await RawClient.connect(port);
    client.socket.pause();
    client.write(get("/"));
    const reader = setInterval(() => client.socket.read(16 * 1024), 100);
    try {
      await until(() => outcome.done, 15_000);
    } finally {
      clearInterval(reader);
    }
    expect((outcome.error as { code?: string }).code).toBe("WW_HTTP_CONNECTION_CLOSED");
  });

  it("keeps a client that reads a large response as fast as it comes", async () => {
    const TOTAL = 32 * 1024 * 1024;
    const { outcome, handler } = bigWriter(TOTAL);
    const { port } = await start(handler, {
      minResponseDataRate: { bytesPerSecond: 1024 * 1024, graceMs: 300 },
    });
    const client = await RawClient.connect(port);
    let received = 0;
    client.socket.removeAllListeners("data");
    client.socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
    });
    client.write(get("/"));
    await until(() => outcome.done, 15_000);
    expect(outcome.error).toBeUndefined();
    await until(() => received >= TOTAL, 15_000);
  });
});

describe("connection caps", { timeout: 30_000 }, () => {
  const hello = (_request: unknown, response: { end(body: string): Promise<void> }) =>
    response.end("hi");

  it("closes a connection past maxConnections at once and keeps serving the open ones", async () => {
    const { port, server } = await start(hello, { maxConnections: 2 });
    const a = await RawClient.connect(port);
    const b = await RawClient.connect(port);
    await until(() => server.connections === 2);
    const refused = await RawClient.connect(port);
    expect(await refused.readToEnd(2000)).toBe("");
    for (const client of [a, b]) {
      client.write(get("/"));
      expect((await client.response()).body.toString()).toBe("hi");
    }
    // Room again once one leaves.
    a.socket.destroy();
    await until(() => server.connections === 1);
    const c = await RawClient.connect(port);
    c.write(get("/"));
    expect((await c.response()).status).toBe(200);
  });

  it("caps connections per client address, leaving other addresses alone", async () => {
    const { port, server } = await start(hello, { maxConnectionsPerAddress: 1 });
    const first = await RawClient.connect(port);
    await until(() => server.connections === 1);
    const second = await RawClient.connect(port);
    expect(await second.readToEnd(2000)).toBe("");
    first.write(get("/"));
    expect((await first.response()).status).toBe(200);

    // 127.0.0.2 is another loopback address on Linux: a different client.
    const other = connect({ port, host: "127.0.0.1", localAddress: "127.0.0.2" });
    const answer = await new Promise<string>((resolve, reject) => {
      let text = "";
      other.on("data", (chunk: Buffer) => {
        text += chunk.toString("latin1");
        if (text.endsWith("hi")) resolve(text);
      });
      other.on("error", reject);
      other.write(get("/"));
    });
    other.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
  });
});
