/**
 * The fetch adapter on real sockets: the standard Request a handler gets (URL, method,
 * headers, body readers, streaming body with backpressure, signal), the Response written back
 * (Set-Cookie fields, HEAD and bodyless statuses, streamed bodies with backpressure, a client
 * that leaves), and errors (500, logged, never a crash or a hang).
 */
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { FetchHandler } from "../src/fetch-adapter.js";
import { createFetchServer, requestUrl, toHandler } from "../src/fetch-adapter.js";
import type { HttpRequest } from "../src/types.js";
import { get, RawClient, start, until } from "./server-helpers.js";
import { makeCredentials, TlsClient } from "./tls-helpers.js";

/** Sockets opened without the helper client, destroyed after each test. */
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

/** A server answering with `fetch` through toHandler; errors reported go to `errors`. */
function serve(fetch: FetchHandler, options: Parameters<typeof start>[1] = {}) {
  return start(toHandler(fetch), options);
}

async function ask(port: number, request: string | Buffer, head = false) {
  const client = await RawClient.connect(port);
  client.write(request);
  return client.response({ head });
}

function fakeRequest(target: string, host: string | undefined, method = "GET"): HttpRequest {
  // Only what requestUrl reads.
  const headers = { get: (name: string) => (name === "host" ? host : undefined) };
  return { target, method, headers } as unknown as HttpRequest;
}

describe("requestUrl: the URL a handler sees, as new URL() spells it", () => {
  const cases: Array<
    [target: string, host: string | undefined, scheme: "http" | "https", url: string | undefined]
  > = [
    ["/", "a.test", "http", "http://a.test/"],
    ["/p/q?x=1&y=%20", "a.test:8080", "http", "http://a.test:8080/p/q?x=1&y=%20"],
    ["/", "A.Test", "http", "http://a.test/"],
    ["/", "a.test:80", "http", "http://a.test/"],
    ["/", "a.test:443", "https", "https://a.test/"],
    ["/", "a.test:80", "https", "https://a.test:80/"],
    ["/a/../b", "a.test", "http", "http://a.test/b"],
    ["/a/%2E%2e/b", "a.test", "http", "http://a.test/b"],
    ["/a/./b/.", "a.test", "http", "http://a.test/a/b/"],
    ["//evil.test/x", "a.test", "http", "http://a.test//evil.test/x"],
    ["/x?q='1'", "a.test", "http", "http://a.test/x?q=%271%27"],
    ["/a|b{c}", "a.test", "http", "http://a.test/a|b%7Bc%7D"],
    ["/", "", "http", "http://localhost/"],
    ["/", undefined, "http", "http://localhost/"],
    ["/", "[::1]:3000", "http", "http://[::1]:3000/"],
    ["/", "a_b.test", "http", "http://a_b.test/"],
    ["/", "a.test:99999", "http", undefined],
    ["http://other.test/x?y", "a.test", "http", "http://other.test/x?y"],
    ["ftp://other.test/x", "a.test", "http", undefined],
  ];
  it.each(cases)("%s with Host %s (%s) -> %s", (target, host, scheme, url) => {
    expect(requestUrl(fakeRequest(target, host), scheme, "localhost")).toBe(url);
  });

  it("asterisk-form OPTIONS becomes /*", () => {
    expect(requestUrl(fakeRequest("*", "a.test", "OPTIONS"), "http", "localhost")).toBe(
      "http://a.test/*",
    );
  });
});

describe("the Request a fetch handler gets", () => {
  it("is a standard Request with method, URL, headers and the client's address", async () => {
    let seen: Record<string, unknown> = {};
    const { port } = await start(
      toHandler((request, info) => {
        seen = {
          isRequest: request instanceof Request,
          headersAreHeaders: request.headers instanceof Headers,
          method: request.method,
          url: request.url,
          cookie: request.headers.get("Cookie"),
          accept: request.headers.get("accept"),
          missing: request.headers.get("x-missing"),
          has: request.headers.has("X-Twice"),
          twice: request.headers.get("x-twice"),
          entries: [...request.headers],
          remote: info.remoteAddress,
          raw: info.request.target,
        };
        return new Response("ok");
      }),
    );
    const response = await ask(
      port,
      "patch /p?q=1 HTTP/1.1\r\nHost: h.test\r\nAccept: */*\r\nCookie: a=1\r\nX-Twice: 1\r\ncookie: b=2\r\nX-Twice: 2\r\nContent-Length: 0\r\n\r\n",
    );
    expect(response.status).toBe(200);
    expect(seen).toEqual({
      isRequest: true,
      headersAreHeaders: true,
      method: "patch", // not one of the methods Fetch upper-cases
      url: "http://h.test/p?q=1",
      cookie: "a=1; b=2",
      accept: "*/*",
      missing: null,
      has: true,
      twice: "1, 2",
      entries: [
        ["accept", "*/*"],
        ["content-length", "0"],
        ["cookie", "a=1; b=2"],
        ["host", "h.test"],
        ["x-twice", "1, 2"],
      ],
      remote: "127.0.0.1",
      raw: "/p?q=1",
    });
  });

  it("upper-cases the methods Fetch normalizes and refuses invalid header names like Headers", async () => {
    let method = "";
    let thrown: unknown;
    const { port } = await serve((request) => {
      method = request.method;
      try {
        request.headers.get("bad name");
      } catch (error) {
        thrown = error;
      }
      return new Response(null, { status: 204 });
    });
    await ask(port, "get / HTTP/1.1\r\nHost: t\r\n\r\n");
    expect(method).toBe("GET");
    expect(thrown).toBeInstanceOf(TypeError);
  });

  it("works where the platform needs a real Request: new Request(request), clone()", async () => {
    let copied: Record<string, unknown> = {};
    const { port } = await serve(async (request) => {
      const clone = request.clone();
      const copy = new Request(request); // takes the body: `request` is used afterwards
      copied = {
        url: copy.url,
        method: copy.method,
        header: copy.headers.get("x-a"),
        body: await copy.text(),
        cloneUrl: clone.url,
      };
      return new Response("done");
    });
    const response = await ask(
      port,
      "PUT /c HTTP/1.1\r\nHost: t\r\nX-A: 1\r\nContent-Length: 5\r\n\r\nhello",
    );
    expect(response.body.toString()).toBe("done");
    expect(copied).toEqual({
      url: "http://t/c",
      method: "PUT",
      header: "1",
      body: "hello",
      cloneUrl: "http://t/c",
    });
  });

  it("leaves the global Request native to everything else", async () => {
    const { port } = await serve(() => new Response("x"));
    await ask(port, get("/"));
    const plain = new Request("http://t/a", { method: "POST", body: "b" });
    expect(plain instanceof Request).toBe(true);
    expect(await new Request(plain).text()).toBe("b");
    expect(Object.prototype.toString.call(plain)).toBe("[object Request]");
  });

  const bodyCases: Array<[string, string, string, (r: Request) => Promise<unknown>, unknown]> = [
    ["text()", "text/plain", "héllo", (r) => r.text(), "héllo"],
    ["text() drops a BOM, as Fetch does", "text/plain", "\uFEFFbom", (r) => r.text(), "bom"],
    ["json()", "application/json", '{"a":[1,2]}', (r) => r.json(), { a: [1, 2] }],
    [
      "arrayBuffer()",
      "application/octet-stream",
      "\u0001\u0002",
      async (r) => [...new Uint8Array(await r.arrayBuffer())],
      [1, 2],
    ],
    [
      "formData() urlencoded",
      "application/x-www-form-urlencoded",
      "a=1&b=x+y",
      async (r) => [...(await r.formData())],
      [
        ["a", "1"],
        ["b", "x y"],
      ],
    ],
    [
      "formData() multipart",
      "multipart/form-data; boundary=XX",
      '--XX\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n--XX--\r\n',
      async (r) => [...(await r.formData())],
      [["f", "v"]],
    ],
    ["body stream", "text/plain", "streamed", async (r) => new Response(r.body).text(), "streamed"],
  ];
  it.each(bodyCases)("reads the body with %s, once", async (_name, type, body, read, expected) => {
    let value: unknown;
    let second: unknown;
    const { port } = await serve(async (request) => {
      value = await read(request);
      second = await request.text().catch((error: unknown) => error);
      return new Response("ok");
    });
    const bytes = Buffer.from(body);
    const response = await ask(
      port,
      Buffer.concat([
        Buffer.from(
          `POST / HTTP/1.1\r\nHost: t\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.length}\r\n\r\n`,
        ),
        bytes,
      ]),
    );
    expect(response.status).toBe(200);
    expect(value).toEqual(expected);
    expect(second).toBeInstanceOf(TypeError);
  });

  it("keeps the server's body limit for buffered reads: 413", async () => {
    const { port, errors } = await serve(async (request) => new Response(await request.text()), {
      limits: { maxBodyBytes: 1000 },
    });
    const response = await ask(
      port,
      `POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n${"x".repeat(2000)}`,
    );
    expect(response.status).toBe(413);
    expect(errors).toEqual([]);
  });

  it("streams a large upload at the pace the handler reads it (backpressure)", async () => {
    const total = 32 * 1024 * 1024;
    let release!: () => void;
    const go = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    const { port } = await serve(async (request) => {
      started = true;
      await go;
      let bytes = 0;
      const reader = request.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
      }
      return Response.json({ bytes });
    });
    const client = await RawClient.connect(port);
    client.write(`POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: ${total}\r\n\r\n`);
    const piece = Buffer.alloc(1024 * 1024, 0x62);
    for (let i = 0; i < 32; i++) client.socket.write(piece);
    await until(() => started, 10_000);
    // The handler reads nothing yet: the server stops reading, so the bytes stay queued in the
    // client (what the kernel buffers hold is far less than 32 MiB).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stuck = client.socket.writableLength;
    expect(stuck).toBeGreaterThan(8 * 1024 * 1024);
    release();
    const response = await client.response({ timeoutMs: 20_000 });
    expect(JSON.parse(response.body.toString())).toEqual({ bytes: total });
  }, 30_000);

  it("aborts request.signal when the client leaves", async () => {
    let aborted = false;
    const { port, errors } = await serve(
      (request) =>
        new Promise<Response>((resolve) => {
          request.signal.addEventListener("abort", () => {
            aborted = true;
            resolve(new Response("too late"));
          });
        }),
    );
    const client = await RawClient.connect(port);
    client.write(get("/wait"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A reset, as when a browser tab closes. (A FIN alone is a half-close, which the server
    // honours while no response is streaming: the client may still be waiting for it.)
    client.socket.resetAndDestroy();
    await until(() => aborted, 10_000);
    expect(errors).toEqual([]);
  });

  it("answers 501 to methods no Request can carry, without calling the handler", async () => {
    let called = false;
    const { port } = await serve(() => {
      called = true;
      return new Response("no");
    });
    const response = await ask(port, "TRACE / HTTP/1.1\r\nHost: t\r\n\r\n");
    expect(response.status).toBe(501);
    expect(called).toBe(false);
  });

  it("answers 400 when the Host and target make no URL", async () => {
    const { port } = await serve(() => new Response("no"));
    const response = await ask(port, "GET / HTTP/1.1\r\nHost: t:99999\r\n\r\n");
    expect(response.status).toBe(400);
  });
});

describe("the Response a fetch handler returns", () => {
  it("keeps each Set-Cookie as its own field line, native and light", async () => {
    const { port } = await serve((request) => {
      if (request.url.endsWith("/light")) {
        return new Response("c", {
          headers: [
            ["set-cookie", "a=1; Path=/"],
            ["Set-Cookie", "b=2, with comma"],
            ["x-other", "1"],
          ],
        });
      }
      const headers = new Headers({ "x-other": "1" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2, with comma");
      return Response.json({ c: 1 }, { headers });
    });
    for (const path of ["/light", "/native"]) {
      const response = await ask(port, get(path));
      const cookies = response.head.split("\r\n").filter((line) => /^set-cookie:/i.test(line));
      expect(cookies).toEqual(["set-cookie: a=1; Path=/", "set-cookie: b=2, with comma"]);
    }
  });

  it("sends no body to HEAD: a known length is kept, an unknown one is not invented", async () => {
    let cancelled = false;
    const { port } = await serve((request) => {
      if (request.url.endsWith("/text")) return new Response("hello");
      return new Response(
        new ReadableStream({
          pull: () => new Promise(() => {}), // never produces: HEAD must not wait for it
          cancel() {
            cancelled = true;
          },
        }),
      );
    });
    const client = await RawClient.connect(port);
    client.write("HEAD /text HTTP/1.1\r\nHost: t\r\n\r\n");
    const text = await client.response({ head: true });
    expect(text.headers["content-length"]).toBe("5");
    client.write("HEAD /stream HTTP/1.1\r\nHost: t\r\n\r\n");
    const stream = await client.response({ head: true });
    expect(stream.status).toBe(200);
    expect(stream.headers["content-length"]).toBeUndefined();
    expect(stream.headers["transfer-encoding"]).toBeUndefined();
    await until(() => cancelled, 10_000);
    // Nothing followed either head: the next response starts cleanly.
    client.write("HEAD /text HTTP/1.1\r\nHost: t\r\n\r\n");
    expect((await client.response({ head: true })).status).toBe(200);
    expect(client.buffered.length).toBe(0);
  });

  it.each([204, 304])("sends no body with %i", async (status) => {
    const { port } = await serve(() => new Response(null, { status, headers: { etag: '"x"' } }));
    const client = await RawClient.connect(port);
    client.write(get("/"));
    const response = await client.response();
    expect(response.status).toBe(status);
    expect(response.headers.etag).toBe('"x"');
    expect(response.headers["transfer-encoding"]).toBeUndefined();
    client.write(get("/"));
    expect((await client.response()).status).toBe(status);
  });

  it("streams a large response at the pace the client reads (backpressure)", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x63);
    const chunks = 512; // 32 MiB
    let pulled = 0;
    const { port } = await serve(
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              if (pulled === chunks) controller.close();
              else {
                pulled++;
                controller.enqueue(chunk);
              }
            },
          }),
        ),
    );
    // A plain socket that counts bytes (the helper client keeps everything in one buffer).
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    socket.pause(); // a client that does not read yet
    socket.write(get("/big"));
    await until(() => pulled > 0, 10_000);
    // Time enough to fill every buffer between the stream and the paused client, generously.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const whilePaused = pulled;
    expect(whilePaused).toBeGreaterThan(0);
    expect(whilePaused).toBeLessThan(chunks / 2);
    let received = 0;
    let tail = "";
    await new Promise<void>((resolve, reject) => {
      socket.on("data", (data: Buffer) => {
        received += data.length;
        tail = (tail + data.toString("latin1", Math.max(0, data.length - 7))).slice(-7);
        if (tail === "\r\n0\r\n\r\n") resolve();
      });
      socket.on("error", reject);
      socket.resume();
    });
    expect(received).toBeGreaterThan(chunk.length * chunks);
    expect(pulled).toBe(chunks);
  }, 30_000);

  it("cancels the response stream when the client leaves, and reports nothing", async () => {
    let cancelled: unknown;
    let sent = 0;
    const { port, errors } = await serve(
      () =>
        new Response(
          new ReadableStream({
            async pull(controller) {
              await new Promise((resolve) => setTimeout(resolve, 5));
              sent++;
              controller.enqueue(new TextEncoder().encode(`event ${sent}\n`));
            },
            cancel(reason) {
              cancelled = reason ?? "cancelled";
            },
          }),
        ),
    );
    const client = await RawClient.connect(port);
    client.write(get("/events"));
    await until(() => sent >= 3, 10_000);
    client.socket.destroy();
    await until(() => cancelled !== undefined, 10_000);
    expect(errors).toEqual([]);
  });
});

describe("errors in the application: 500, logged, never a crash or a hang", () => {
  const failing: Array<[string, FetchHandler]> = [
    [
      "a synchronous throw",
      () => {
        throw new Error("sync boom");
      },
    ],
    ["a rejected promise", () => Promise.reject(new Error("async boom"))],
    ["a value that is not a Response", () => "just text" as unknown as Response],
    ["Response.error()", () => Response.error()],
  ];
  it.each(failing)("%s", async (_name, fetch) => {
    const { port, errors } = await serve(fetch);
    const client = await RawClient.connect(port);
    client.write(get("/"));
    const response = await client.response();
    expect(response.status).toBe(500);
    expect(errors).toHaveLength(1);
    // The server still serves: a new connection gets the same clean answer.
    expect((await ask(port, get("/"))).status).toBe(500);
  });

  it("a stream that fails before anything was sent is a clean 500", async () => {
    const { port, errors } = await serve(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.error(new Error("stream broke at once"));
            },
          }),
        ),
    );
    expect((await ask(port, get("/"))).status).toBe(500);
    expect(errors).toHaveLength(1);
  });

  it("a stream that fails mid-response ends the connection and is reported", async () => {
    const { port, errors } = await serve(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode("partial"));
            },
            // Later than the head: a failure before anything was sent is a clean 500 instead.
            pull: () =>
              new Promise((_resolve, reject) =>
                setTimeout(() => reject(new Error("stream broke")), 30),
              ),
          }),
        ),
    );
    const client = await RawClient.connect(port);
    client.write(get("/"));
    const text = await client.readToEnd();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain("partial");
    expect(text.endsWith("0\r\n\r\n")).toBe(false); // never claims to be complete
    expect(errors).toHaveLength(1);
  });
});

describe("over TLS", () => {
  it("gives https URLs, and a fixed scheme overrides it", async () => {
    const credentials = makeCredentials();
    const urls: string[] = [];
    const server = createFetchServer(
      (request) => {
        urls.push(request.url);
        return new Response("secure");
      },
      { tls: credentials },
    );
    const { port } = await server.listen(0, "127.0.0.1");
    try {
      const client = await TlsClient.connect(port, credentials.cert);
      client.write("GET /s?x=1 HTTP/1.1\r\nHost: localhost:8443\r\n\r\n");
      expect((await client.response()).body.toString()).toBe("secure");
    } finally {
      await server.close();
    }
    const { port: plainPort } = await start(
      toHandler((request) => new Response(request.url), { scheme: "https" }),
    );
    expect((await ask(plainPort, get("/p"))).body.toString()).toBe("https://t/p");
    expect(urls).toEqual(["https://localhost:8443/s?x=1"]);
  });
});

describe("toHandler beside plain handlers", () => {
  it("serves fetch routes and plain routes from one server", async () => {
    const api = toHandler((request) => Response.json({ path: new URL(request.url).pathname }));
    const { port } = await start((request, response) => {
      if (request.path.startsWith("/api/")) return api(request, response);
      return response.end("plain");
    });
    const client = await RawClient.connect(port);
    client.write(get("/api/x") + get("/page"));
    expect(JSON.parse((await client.response()).body.toString())).toEqual({ path: "/api/x" });
    expect((await client.response()).body.toString()).toBe("plain");
  });
});
