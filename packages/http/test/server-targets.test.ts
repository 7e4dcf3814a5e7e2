import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { toIncomingMessage } from "../src/node-compat.js";
import type { Handler, HttpRequest } from "../src/types.js";
import { get, RawClient, start } from "./server-helpers.js";
import { makeCredentials } from "./tls-helpers.js";

/** Answers with what the handler saw: path, query and Host. */
const show: Handler = (request, response) =>
  response.end(
    JSON.stringify({
      path: request.path,
      query: request.query,
      host: request.headers.get("host"),
      hosts: request.headers.getAll("host"),
      pairs: [...request.headers],
    }),
  );

async function exchange(raw: string, handler: Handler = show) {
  const { port } = await start(handler);
  const client = await RawClient.connect(port);
  client.write(raw);
  return { client, response: await client.response() };
}

describe("request targets (RFC 9112 §3.2)", { timeout: 30_000 }, () => {
  it.each([
    [
      "absolute-form: the authority replaces Host",
      "GET http://Example.com:8080/p/q?x=1 HTTP/1.1\r\nHost: other.example\r\nAccept: */*\r\n\r\n",
      {
        path: "/p/q",
        query: "x=1",
        host: "Example.com:8080",
        hosts: ["Example.com:8080"],
        pairs: [
          ["Host", "Example.com:8080"],
          ["Accept", "*/*"],
        ],
      },
    ],
    [
      "absolute-form without a path: the path is /",
      "GET https://a.example?x HTTP/1.1\r\nHost: a.example\r\n\r\n",
      {
        path: "/",
        query: "x",
        host: "a.example",
        hosts: ["a.example"],
        pairs: [["Host", "a.example"]],
      },
    ],
    [
      "upper-case scheme",
      "GET HTTP://a.example/ HTTP/1.1\r\nHost: b\r\n\r\n",
      {
        path: "/",
        query: "",
        host: "a.example",
        hosts: ["a.example"],
        pairs: [["Host", "a.example"]],
      },
    ],
    [
      "origin-form keeps Host",
      "GET /a/b?c=d?e HTTP/1.1\r\nHost: h.example\r\n\r\n",
      {
        path: "/a/b",
        query: "c=d?e",
        host: "h.example",
        hosts: ["h.example"],
        pairs: [["Host", "h.example"]],
      },
    ],
  ])("%s", async (_name, raw, expected) => {
    const { response } = await exchange(raw);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual(expected);
  });

  it("gives asterisk-form the path *", async () => {
    const { response } = await exchange("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n");
    expect(JSON.parse(response.body.toString()).path).toBe("*");
  });

  it.each([
    ["a scheme that is not a URL with an authority", "a:b/../x"],
    ["another scheme", "ftp://a.example/x"],
    ["http without an authority", "http:/x"],
    ["an empty authority", "http:///x"],
    ["userinfo", "http://u:p@h.example/x"],
    ["a port above 65535", "http://h.example:99999/"],
    ["authority-form outside CONNECT", "h.example:80"],
    ["a double quote in the path", '/a"b'],
    ["braces in the path", "/a{b}"],
    ["angle brackets in the path", "/a<b>"],
    ["a backtick in the path", "/a`b"],
  ])("answers 400 to %s (%s), without calling the handler", async (_name, target) => {
    let called = false;
    const { client, response } = await exchange(
      `GET ${target} HTTP/1.1\r\nHost: t\r\n\r\n${get("/next")}`,
      (_request, res) => {
        called = true;
        return res.end();
      },
    );
    expect(response.status).toBe(400);
    expect(response.headers.connection).toBe("close");
    expect(response.body.toString()).toContain("request-target");
    // The connection ends: the request after it is never read.
    expect(await client.readToEnd()).toBe("");
    expect(called).toBe(false);
  });
});

describe("CONNECT (RFC 9110 §9.3.6)", { timeout: 30_000 }, () => {
  const tunnelRequest =
    "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n" +
    "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";

  it("answers 501 with Connection: close and never parses the bytes after it", async () => {
    const seen: string[] = [];
    const { port, errors } = await start((request, response) => {
      seen.push(request.target);
      return response.end("served");
    });
    const client = await RawClient.connect(port);
    client.write(tunnelRequest);
    const response = await client.response();
    expect(response.status).toBe(501);
    expect(response.headers.connection).toBe("close");
    expect(await client.readToEnd()).toBe("");
    expect(seen).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("hands the socket and the bytes after the head to onConnect", async () => {
    let got: { target: string; head: string } | undefined;
    const { port, server } = await start((_request, response) => response.end("not here"), {
      onConnect(request, socket, head) {
        got = { target: request.target, head: head.toString("latin1") };
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        socket.on("data", (chunk: Buffer) => socket.write(`echo:${chunk.toString("latin1")}`));
        // The socket is half-open capable (allowHalfOpen): the hook ends its side itself.
        socket.on("end", () => socket.end());
      },
    });
    const client = await RawClient.connect(port);
    client.write(tunnelRequest);
    const established = "HTTP/1.1 200 Connection Established\r\n\r\n";
    await until(() => client.buffered.toString("latin1") === established);
    expect(got).toEqual({
      target: "a.example:443",
      head: "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n",
    });
    client.write("ping");
    await until(() => client.buffered.toString("latin1") === `${established}echo:ping`);
    // The tunnel is the hook's: the server no longer counts it as an HTTP connection.
    expect(server.connections).toBe(0);
  });
});

describe("Upgrade (RFC 9110 §7.8)", { timeout: 30_000 }, () => {
  const upgrade =
    "GET /chat HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";

  it("without onUpgrade, ignores Upgrade and serves the request", async () => {
    const { response } = await exchange(upgrade);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString()).path).toBe("/chat");
  });

  it.each([
    ["HTTP/1.0", upgrade.replace("HTTP/1.1", "HTTP/1.0")],
    [
      "no upgrade token in Connection",
      upgrade.replace("Connection: Upgrade", "Connection: keep-alive"),
    ],
    ["a body to read first", upgrade.replace("\r\n\r\n", "\r\nContent-Length: 2\r\n\r\nhi")],
  ])("with onUpgrade, still serves a request that cannot switch: %s", async (_name, raw) => {
    let hooked = false;
    const { port } = await start(show, {
      onUpgrade(_request, socket) {
        hooked = true;
        socket.destroy();
      },
    });
    const client = await RawClient.connect(port);
    client.write(raw);
    expect((await client.response()).status).toBe(200);
    expect(hooked).toBe(false);
  });

  it("hands the socket, the request and the bytes after the head to onUpgrade", async () => {
    let got: { request: HttpRequest; head: string } | undefined;
    let handled = false;
    const { port } = await start(
      (_request, response) => {
        handled = true;
        return response.end();
      },
      {
        onUpgrade(request, socket: Socket, head) {
          got = { request, head: head.toString("latin1") };
          socket.end(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\nbye",
          );
        },
      },
    );
    const client = await RawClient.connect(port);
    client.write(`${upgrade}early bytes`);
    const text = await client.readToEnd();
    expect(text).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n[\s\S]*\r\n\r\nbye$/);
    expect(got?.request.path).toBe("/chat");
    expect(got?.request.headers.get("upgrade")).toBe("websocket");
    expect(got?.head).toBe("early bytes");
    expect(handled).toBe(false);
  });

  for (const secure of [false, true]) {
    it(`serves a real WebSocket client through ws's handleUpgrade${secure ? " over TLS" : ""}`, async () => {
      const credentials = makeCredentials();
      const wss = new WebSocketServer({ noServer: true });
      const { port } = await start((_request, response) => response.end("plain"), {
        ...(secure ? { tls: credentials } : {}),
        onUpgrade(request, socket, head) {
          wss.handleUpgrade(toIncomingMessage(request, socket), socket, head, (ws) => {
            ws.on("message", (data) => ws.send(`echo ${String(data)} from ${request.path}`));
          });
        },
      });
      const ws = new WebSocket(`${secure ? "wss" : "ws"}://localhost:${port}/room?x=1`, {
        ca: credentials.cert,
      });
      try {
        const reply = await new Promise<string>((resolve, reject) => {
          ws.on("open", () => ws.send("hello"));
          ws.on("message", (data) => resolve(String(data)));
          ws.on("error", reject);
        });
        expect(reply).toBe("echo hello from /room");
      } finally {
        ws.terminate();
        for (const client of wss.clients) client.terminate();
        wss.close();
      }
    });
  }
});

async function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
