import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { HttpError } from "../src/errors.js";
import type { HttpRequest } from "../src/types.js";
import { get, RawClient, start, until } from "./server-helpers.js";

const hello = (_request: HttpRequest, response: import("../src/types.js").HttpResponse) =>
  response.end("hello");

describe("keep-alive", () => {
  it("reuses connections across fetches", async () => {
    const ports = new Set<number>();
    const { url } = await start(async (request, response) => {
      ports.add(request.remotePort);
      await response.end(`you asked for ${request.path}?${request.query}`);
    });
    for (const path of ["/a?x=1", "/b", "/c?", "/d", "/e?y"]) {
      const res = await fetch(url + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(
        `you asked for ${path.split("?")[0]}?${path.split("?")[1] ?? ""}`,
      );
    }
    // undici may open a second connection while the first is being returned to its pool.
    expect(ports.size).toBeLessThanOrEqual(2);
  });

  it("keeps an HTTP/1.1 connection open and answers each request with a Date and length", async () => {
    const { port } = await start(hello);
    const client = await RawClient.connect(port);
    for (let i = 0; i < 3; i++) {
      client.write(get(`/${i}`));
      const response = await client.response();
      expect(response.status).toBe(200);
      expect(response.headers["content-length"]).toBe("5");
      expect(response.headers.date).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
      expect(response.headers.connection).toBeUndefined();
      expect(response.body.toString()).toBe("hello");
    }
    expect(client.closed).toBe(false);
  });

  it("closes an HTTP/1.0 connection unless keep-alive was asked for", async () => {
    const { port } = await start(hello);
    const plain = await RawClient.connect(port);
    plain.write("GET / HTTP/1.0\r\n\r\n");
    const first = await plain.response();
    expect(first.headers.connection).toBe("close");
    expect(first.body.toString()).toBe("hello");
    await plain.waitClosed();

    const kept = await RawClient.connect(port);
    kept.write("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const second = await kept.response();
    expect(second.headers.connection).toBe("keep-alive");
    kept.write("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    expect((await kept.response()).status).toBe(200);
    expect(kept.closed).toBe(false);
  });

  it("sends a streamed body to an HTTP/1.0 client close-delimited, not chunked", async () => {
    const { port } = await start(async (_request, response) => {
      await response.write("part one, ");
      await response.end("part two");
    });
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const text = await client.readToEnd();
    expect(text).not.toMatch(/transfer-encoding/i);
    expect(text).toMatch(/\r\nConnection: close\r\n/);
    expect(text.endsWith("\r\n\r\npart one, part two")).toBe(true);
  });
});

describe("pipelining", () => {
  it("answers 16 requests sent in one write in order, a slow first handler included", async () => {
    const { port } = await start(async (request, response) => {
      if (request.path === "/0") await new Promise((resolve) => setTimeout(resolve, 50));
      if (request.method === "POST") {
        await response.end(`${request.path}:${await request.text()}`);
        return;
      }
      await response.end(request.path);
    });
    const client = await RawClient.connect(port);
    let batch = "";
    for (let i = 0; i < 16; i++) {
      batch +=
        i % 3 === 1
          ? `POST /${i} HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nb${String(i).padStart(3, "0")}`
          : get(`/${i}`);
    }
    client.write(batch);
    for (let i = 0; i < 16; i++) {
      const response = await client.response();
      const expected = i % 3 === 1 ? `/${i}:b${String(i).padStart(3, "0")}` : `/${i}`;
      expect(response.body.toString()).toBe(expected);
    }
    expect(client.closed).toBe(false);
  });

  it("runs one handler at a time per connection", async () => {
    let running = 0;
    let most = 0;
    const { port } = await start(async (_request, response) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      await response.end("x");
    });
    const client = await RawClient.connect(port);
    client.write(get("/").repeat(8));
    for (let i = 0; i < 8; i++) await client.response();
    expect(most).toBe(1);
  });

  it("answers a request with Connection: close in full and ignores the bytes after it", async () => {
    const seen: string[] = [];
    const { port } = await start(async (request, response) => {
      seen.push(request.path);
      await response.end(`body of ${request.path}`);
    });
    const client = await RawClient.connect(port);
    client.write(`${get("/first")}${get("/last", "Connection: close\r\n")}${get("/never")}garbage`);
    const text = await client.readToEnd();
    expect(seen).toEqual(["/first", "/last"]);
    expect(text).toContain("body of /first");
    expect(text).toMatch(/Connection: close\r\n[\s\S]*\r\n\r\nbody of \/last$/);
    expect(text).not.toContain("400");
  });

  it("sends Connection: close when the handler sets it, and closes after the response", async () => {
    const { port } = await start(async (_request, response) => {
      response.setHeader("Connection", "close");
      await response.end("bye");
    });
    const client = await RawClient.connect(port);
    client.write(get("/") + get("/"));
    const text = await client.readToEnd();
    expect(text.match(/HTTP\/1\.1 200/g)).toHaveLength(1);
    expect(text.endsWith("bye")).toBe(true);
  });
});

describe("bodiless responses", () => {
  it("sends no body to HEAD but keeps the Content-Length the handler set", async () => {
    const { port } = await start(async (_request, response) => {
      response.setHeader("Content-Length", 11);
      await response.end("hello world");
    });
    const client = await RawClient.connect(port);
    client.write(`HEAD / HTTP/1.1\r\nHost: t\r\n\r\n${get("/")}`);
    const head = await client.response({ head: true });
    expect(head.headers["content-length"]).toBe("11");
    const next = await client.response();
    expect(next.body.toString()).toBe("hello world");
    expect(client.buffered.length).toBe(0);
  });

  it("reports the length of a body written in one end() to HEAD, with no body", async () => {
    const { port } = await start((_request, response) => response.end("twelve bytes"));
    const client = await RawClient.connect(port);
    client.write(`HEAD / HTTP/1.1\r\nHost: t\r\n\r\n${get("/")}`);
    expect((await client.response({ head: true })).headers["content-length"]).toBe("12");
    expect((await client.response()).body.toString()).toBe("twelve bytes");
  });

  it("drops a streamed body to HEAD and sends neither length nor chunked", async () => {
    const { port } = await start(async (_request, response) => {
      await response.write("streamed");
      await response.end();
    });
    const client = await RawClient.connect(port);
    client.write(`HEAD / HTTP/1.1\r\nHost: t\r\n\r\n${get("/")}`);
    const head = await client.response({ head: true });
    expect(head.headers["transfer-encoding"]).toBeUndefined();
    expect((await client.response()).body.toString()).toBe("streamed");
  });

  it.each([204, 304])("sends no body and no chunked coding with %i", async (status) => {
    const { port } = await start(async (_request, response) => {
      response.statusCode = status;
      await response.write("ignored");
      await response.end("ignored too");
    });
    const client = await RawClient.connect(port);
    client.write(get("/") + get("/"));
    for (let i = 0; i < 2; i++) {
      const response = await client.response();
      expect(response.status).toBe(status);
      expect(response.headers["transfer-encoding"]).toBeUndefined();
      if (status === 204) expect(response.headers["content-length"]).toBeUndefined();
    }
    expect(client.buffered.length).toBe(0);
  });
});

describe("response framing", () => {
  it("uses chunked coding when the length is not known", async () => {
    const { port } = await start(async (_request, response) => {
      response.setHeader("Content-Type", "text/plain");
      await response.write("one ");
      await response.write(new Uint8Array([0x74, 0x77, 0x6f]));
      await response.end(" three");
    });
    const client = await RawClient.connect(port);
    client.write(get("/"));
    await until(() => client.buffered.includes("0\r\n\r\n"));
    const raw = client.buffered.toString("latin1");
    expect(raw).toContain("Transfer-Encoding: chunked\r\n");
    expect(raw.slice(raw.indexOf("\r\n\r\n") + 4)).toBe(
      "4\r\none \r\n3\r\ntwo\r\n6\r\n three\r\n0\r\n\r\n",
    );
  });

  it("sends status, headers and a small body in one TCP write", async () => {
    const { port } = await start((_request, response) => {
      response.setHeader("X-A", ["1", "2"]);
      return response.end("small");
    });
    const client = await RawClient.connect(port);
    const chunks: Buffer[] = [];
    client.socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    client.write(get("/"));
    const response = await client.response();
    expect(chunks).toHaveLength(1);
    expect(response.head).toContain("X-A: 1\r\nX-A: 2\r\n");
  });

  it("encodes string writes as UTF-8", async () => {
    const { url } = await start((_request, response) => response.end("héllo ✓"));
    const res = await fetch(url);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength("héllo ✓")));
    expect(await res.text()).toBe("héllo ✓");
  });

  it("ends a response the handler left open, and warns once", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const { url, errors } = await start((_request, response) => {
        response.statusCode = 202;
      });
      expect((await fetch(url)).status).toBe(202);
      expect((await fetch(url)).status).toBe(202);
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).toEqual([]);
      expect(warnings.map((w) => (w as Error & { code: string }).code)).toEqual([
        "WIREWEB_RESPONSE_NOT_ENDED",
      ]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it.each([["-1"], ["12abc"], [["1", "2"]], [1.5]])(
    "refuses Content-Length %j with a TypeError",
    async (value) => {
      let thrown: unknown;
      const { url } = await start((_request, response) => {
        try {
          response.setHeader("Content-Length", value);
        } catch (error) {
          thrown = error;
        }
        return response.end("ok");
      });
      expect(await (await fetch(url)).text()).toBe("ok");
      expect(thrown).toBeInstanceOf(TypeError);
    },
  );

  it("refuses header injection with a TypeError in the handler", async () => {
    let thrown: unknown;
    const { url } = await start((_request, response) => {
      try {
        response.setHeader("X-Evil", "a\r\nSet-Cookie: b");
      } catch (error) {
        thrown = error;
      }
      expect(() => response.setHeader("Bad Name", "x")).toThrow(TypeError);
      expect(() => response.setHeader("X-List", ["ok", "bad\n"])).toThrow(TypeError);
      expect(() => response.setHeader("X-Wide", "\u2713")).toThrow(TypeError);
      return response.end("ok");
    });
    expect(await (await fetch(url)).text()).toBe("ok");
    expect(thrown).toBeInstanceOf(TypeError);
  });
});

describe("request bodies", () => {
  it("reads Content-Length and chunked bodies", async () => {
    const { port } = await start(async (request, response) => {
      const text = await request.text();
      await response.end(`${request.bodyKind}:${text}`);
    });
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
    expect((await client.response()).body.toString()).toBe("length:hello");
    client.write(
      "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
    );
    expect((await client.response()).body.toString()).toBe("chunked:abcde");
  });

  it("answers 413 to a declared length over the limit, before the body is sent", async () => {
    const { port } = await start(
      async (request, response) => {
        await request.body();
        await response.end("never");
      },
      { limits: { maxBodyBytes: 10 } },
    );
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n");
    const response = await client.response();
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe("close");
    expect(response.body.toString()).toBe(
      "413 Content Too Large: the request body is larger than 10 bytes\n",
    );
    await client.waitClosed();
  });

  it("answers 413 to a chunked body that grows past a per-call limit", async () => {
    const { port } = await start(async (request, response) => {
      await request.body({ limit: 4 });
      await response.end("never");
    });
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
    client.write("3\r\ndef\r\n");
    expect((await client.response()).status).toBe(413);
    await client.waitClosed();
  });

  it("sends 100 Continue only when the handler reads the body", async () => {
    const { port } = await start(async (request, response) => {
      if (request.path === "/read") await response.end(await request.text());
      else await response.end("not reading");
    });
    const reader = await RawClient.connect(port);
    reader.write(
      "POST /read HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n",
    );
    const interim = await reader.response();
    expect(interim.status).toBe(100);
    reader.write("data");
    expect((await reader.response()).body.toString()).toBe("data");

    const skipper = await RawClient.connect(port);
    skipper.write(
      "POST /skip HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n",
    );
    const final = await skipper.response();
    expect(final.status).toBe(200);
    expect(final.headers.connection).toBe("close");
    await skipper.waitClosed();
  });

  it("ignores Expect: 100-continue from an HTTP/1.0 client", async () => {
    const { port } = await start(async (request, response) => response.end(await request.text()));
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.buffered.length).toBe(0);
    client.write("hi");
    const text = await client.readToEnd();
    expect(text).not.toContain("100 Continue");
    expect(text.endsWith("\r\n\r\nhi")).toBe(true);
  });

  it("drops a small unread body and keeps the connection", async () => {
    const { port } = await start((request, response) => response.end(request.path));
    const client = await RawClient.connect(port);
    client.write(`POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz${get("/b")}`);
    expect((await client.response()).body.toString()).toBe("/a");
    expect((await client.response()).body.toString()).toBe("/b");
    expect(client.closed).toBe(false);
  });

  it("drops an unread chunked body up to 64 KiB and closes past that", async () => {
    const { port } = await start((request, response) => response.end(request.path));
    const chunk = (n: number) => `${n.toString(16)}\r\n${"z".repeat(n)}\r\n`;
    const chunked = (path: string, sizes: number[]) =>
      `POST ${path} HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n${sizes.map(chunk).join("")}0\r\n\r\n`;
    const small = await RawClient.connect(port);
    small.write(chunked("/small", [10, 20]) + get("/next"));
    expect((await small.response()).body.toString()).toBe("/small");
    expect((await small.response()).body.toString()).toBe("/next");

    const large = await RawClient.connect(port);
    large.write(chunked("/large", [40_000, 40_000]) + get("/never"));
    expect((await large.response()).body.toString()).toBe("/large");
    await large.waitClosed();
    expect(large.buffered.length).toBe(0);
  });

  it("streams a body with for await, chunk by chunk", async () => {
    const { url } = await start(async (request, response) => {
      let total = 0;
      for await (const chunk of request) total += chunk.length;
      await response.end(String(total));
    });
    const body = new Uint8Array(300_000).fill(7);
    const res = await fetch(url, { method: "POST", body });
    expect(await res.text()).toBe("300000");
  });
});

describe("errors", () => {
  const cases: Array<[string, string, number, string]> = [
    ["obs-fold", `GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n`, 400, "WW_HTTP_OBS_FOLD"],
    ["missing Host", "GET / HTTP/1.1\r\n\r\n", 400, "WW_HTTP_MISSING_HOST"],
    [
      "CL and TE",
      "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
      400,
      "",
    ],
    ["a long line", `GET /${"a".repeat(9000)} HTTP/1.1\r\nHost: t\r\n\r\n`, 414, ""],
    ["too many headers", `GET / HTTP/1.1\r\nHost: t\r\n${"X: y\r\n".repeat(120)}\r\n`, 431, ""],
    ["HTTP/2.0", "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505, ""],
    ["chunked not last", "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 400, ""],
    [
      "an unknown coding",
      "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: zz, chunked\r\n\r\n",
      501,
      "",
    ],
  ];

  it.each(cases)(
    "answers %s with its status, a text body and Connection: close",
    async (_name, bytes, status) => {
      let called = false;
      const { port } = await start((_request, response) => {
        called = true;
        return response.end();
      });
      const client = await RawClient.connect(port);
      client.write(bytes);
      const response = await client.response();
      expect(response.status).toBe(status);
      expect(response.headers.connection).toBe("close");
      expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(response.body.toString()).toMatch(new RegExp(`^${status} [A-Za-z -]+: \\S.*\\n$`));
      await client.waitClosed();
      expect(called).toBe(false);
    },
  );

  it("names the problem in the body without echoing the input", async () => {
    const { port } = await start(hello);
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: t\r\nX-Secret: <script>\r\n folded\r\n\r\n");
    const body = (await client.response()).body.toString();
    expect(body).toMatch(/^400 Bad Request: .*fold/);
    expect(body).not.toContain("script");
  });

  it("answers the valid requests before a malformed one, then 400", async () => {
    const { port } = await start((request, response) => response.end(request.path));
    const client = await RawClient.connect(port);
    client.write(`${get("/ok")}GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n`);
    expect((await client.response()).body.toString()).toBe("/ok");
    expect((await client.response()).status).toBe(400);
    await client.waitClosed();
  });

  it("answers 500 once when a handler throws or rejects, and goes on serving", async () => {
    const { url, port, errors } = await start(async (request, response) => {
      if (request.path === "/throw") throw new Error("secret detail");
      if (request.path === "/reject") return Promise.reject(new Error("also secret"));
      await response.end("fine");
    });
    const thrown = await fetch(`${url}/throw`);
    expect(thrown.status).toBe(500);
    const body = await thrown.text();
    expect(body).toBe("500 Internal Server Error: the server failed to handle the request\n");
    expect((await fetch(`${url}/reject`)).status).toBe(500);
    expect(errors.map((e) => (e as Error).message)).toEqual(["secret detail", "also secret"]);
    const other = await RawClient.connect(port);
    other.write(get("/"));
    expect((await other.response()).body.toString()).toBe("fine");
  });

  it("answers the status of an HttpError a handler throws", async () => {
    const { url, errors } = await start(() => {
      throw new HttpError("WW_HTTP_BODY_TOO_LARGE", "too big for us");
    });
    const res = await fetch(url);
    expect(res.status).toBe(413);
    expect(await res.text()).toBe("413 Content Too Large: too big for us\n");
    expect(errors).toEqual([]);
  });

  it("cuts the connection when a handler fails after the head went out", async () => {
    const { port, errors } = await start(async (_request, response) => {
      await response.write("partial");
      throw new Error("midway");
    });
    const client = await RawClient.connect(port);
    client.write(get("/"));
    const text = await client.readToEnd();
    expect(text).toContain("7\r\npartial\r\n");
    expect(text).not.toContain("0\r\n\r\n");
    expect(errors).toHaveLength(1);
  });

  it("answers 400 to a request cut short by the client's half-close", async () => {
    const { port } = await start(hello);
    const client = await RawClient.connect(port);
    client.write("GET / HTTP/1.1\r\nHost: t\r\n");
    client.socket.end();
    const response = await client.response();
    expect(response.status).toBe(400);
  });

  it("still answers a complete request the client sent before half-closing", async () => {
    const { port } = await start(async (_request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await response.end("late");
    });
    const client = await RawClient.connect(port);
    client.write(get("/"));
    client.socket.end();
    expect((await client.response()).body.toString()).toBe("late");
    await client.waitClosed();
  });
});

describe("request.signal", () => {
  it("aborts when the client disconnects mid-response", async () => {
    let aborted: Promise<unknown> | undefined;
    const { port } = await start(async (request, response) => {
      aborted = new Promise((resolve) =>
        request.signal.addEventListener("abort", () => resolve(request.signal.reason)),
      );
      await response.write("tick\n");
      await aborted;
    });
    const client = await RawClient.connect(port);
    client.write(get("/events"));
    await until(() => client.buffered.includes("tick"));
    client.socket.destroy();
    const reason = await aborted;
    expect((reason as HttpError).code).toBe("WW_HTTP_CONNECTION_CLOSED");
  });

  it("rejects writes once the client has gone", async () => {
    let rejected: unknown;
    let writes = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const { port } = await start(async (_request, response) => {
      try {
        // The first writes after a reset may still be taken by the kernel; a later one fails.
        for (; writes < 200; writes++) {
          await response.write("x".repeat(1000));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      } catch (error) {
        rejected = error;
      }
      done();
    });
    const client = await RawClient.connect(port);
    client.write(get("/"));
    await until(() => client.buffered.length > 0);
    client.socket.destroy();
    await finished;
    expect(writes).toBeLessThan(200);
    expect((rejected as HttpError).code).toBe("WW_HTTP_CONNECTION_CLOSED");
  });

  it("does not abort once the response has been sent", async () => {
    let signal: AbortSignal | undefined;
    const { port } = await start((request, response) => {
      signal = request.signal;
      return response.end("done");
    });
    const client = await RawClient.connect(port);
    client.write(get("/"));
    await client.response();
    client.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(signal?.aborted).toBe(false);
  });
});

describe("close()", () => {
  it("stops accepting, lets an in-flight request finish and closes idle connections", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    const { server, port } = await start(async (request, response) => {
      if (request.path === "/slow") {
        started = true;
        await gate;
      }
      await response.end(request.path);
    });
    const idle = await RawClient.connect(port);
    idle.write(get("/idle"));
    await idle.response();
    const busy = await RawClient.connect(port);
    busy.write(get("/slow"));
    await until(() => started);

    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await idle.waitClosed();
    await expect(RawClient.connect(port)).rejects.toThrow();
    expect(closed).toBe(false);

    release();
    const last = await busy.response();
    expect(last.body.toString()).toBe("/slow");
    expect(last.headers.connection).toBe("close");
    await busy.waitClosed();
    await closing;
    expect(closed).toBe(true);
    expect(server.connections).toBe(0);
  });

  it("counts open connections and calls onConnection", async () => {
    const infos: string[] = [];
    const { server, port } = await start(hello, {
      onConnection: (info) => infos.push(info.remoteAddress),
    });
    const a = await RawClient.connect(port);
    await RawClient.connect(port);
    await until(() => server.connections === 2);
    a.socket.destroy();
    await until(() => server.connections === 1);
    expect(infos).toEqual(["127.0.0.1", "127.0.0.1"]);
  });
});

describe("options", () => {
  it("refuses bad options with RangeError and a non-function handler with TypeError", async () => {
    const { createServer } = await import("../src/server.js");
    expect(() => createServer(hello, { limits: { maxBodyBytes: -1 } })).toThrow(RangeError);
    expect(() => createServer(hello, { timeouts: { idleMs: Number.NaN } })).toThrow(
      /timeouts\.idleMs/,
    );
    expect(() => createServer("nope" as never)).toThrow(TypeError);
  });

  it("closes connections past maxConnections as they arrive", async () => {
    const { port, server } = await start(hello, { maxConnections: 1 });
    const first = await RawClient.connect(port);
    await until(() => server.connections === 1);
    const second = await RawClient.connect(port);
    await second.waitClosed();
    first.write(get("/"));
    expect((await first.response()).body.toString()).toBe("hello");
  });

  it("accepts bare LF line ends only when allowed", async () => {
    const strict = await start(hello);
    const lenient = await start(hello, { allowBareLf: true });
    const a = await RawClient.connect(strict.port);
    a.write("GET / HTTP/1.1\nHost: t\n\n");
    expect((await a.response()).status).toBe(400);
    const b = await RawClient.connect(lenient.port);
    b.write("GET / HTTP/1.1\nHost: t\n\n");
    expect((await b.response()).status).toBe(200);
  });

  it("works with node's own http client", async () => {
    const { port } = await start(async (request, response) => {
      response.setHeader("Content-Type", "application/json");
      await response.end(JSON.stringify({ method: request.method, body: await request.text() }));
    });
    const text = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ port, host: "127.0.0.1", method: "PUT", path: "/x" }, (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          data += chunk;
        });
        res.on("end", () => resolve(data));
      });
      req.on("error", reject);
      req.write("chunk one ");
      req.end("chunk two");
    });
    expect(JSON.parse(text)).toEqual({ method: "PUT", body: "chunk one chunk two" });
  });
});
