/**
 * Issue 14's proof: a Hono app and an h3 app, unchanged, on @wireweb/http's fetch adapter,
 * answer byte for byte what the same app answers on its usual Node server (@hono/node-server;
 * h3's own toNodeHandler on node:http), which runs in a child process. Compared: the status
 * line, every header line in order (Date aside), and the body (de-chunked when both sides
 * chunk, since chunk boundaries follow timing, not the app).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFetchServer } from "../src/fetch-adapter.js";
import { statusText } from "../src/status-codes.js";
import type { Server } from "../src/types.js";
import { h3App, honoApp } from "./fixtures/fetch-apps.mjs";

const reference = fileURLToPath(new URL("./fixtures/fetch-reference.mjs", import.meta.url));

async function startReference(kind: "hono" | "h3"): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [reference, kind], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`reference ${kind} exited with ${code}`)));
  });
  return { child, port };
}

/** Sends `request` (which asks for Connection: close) and reads until the server closes. */
function exchange(port: number, request: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of response from ${port}`));
    }, 5000);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.on("error", reject);
  });
}

interface Parsed {
  statusLine: string;
  /** Header lines as sent, Date removed. */
  lines: string[];
  chunked: boolean;
  body: Buffer;
}

function parse(wire: Buffer): Parsed {
  const end = wire.indexOf("\r\n\r\n");
  if (end === -1) throw new Error(`no head in ${JSON.stringify(wire.toString("latin1"))}`);
  const [statusLine, ...lines] = wire.subarray(0, end).toString("latin1").split("\r\n");
  const chunked = lines.some((line) => /^transfer-encoding: chunked$/i.test(line));
  let body = wire.subarray(end + 4);
  if (chunked) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = body.indexOf("\r\n", at);
      const size = Number.parseInt(body.subarray(at, lineEnd).toString("latin1"), 16);
      if (size === 0) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return {
    statusLine: statusLine!,
    lines: byName(lines.filter((line) => !/^date:/i.test(line))),
    chunked,
    body,
  };
}

/**
 * Header lines ordered by field name, a stable sort: lines of one name (Set-Cookie) keep their
 * order, which is significant; the order of different names is not (RFC 9110 §5.3), and the
 * two servers place their own Content-Length and Connection differently.
 */
function byName(lines: string[]): string[] {
  const name = (line: string) => line.slice(0, line.indexOf(":")).toLowerCase();
  return lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => name(a.line).localeCompare(name(b.line)) || a.index - b.index)
    .map(({ line }) => line);
}

function post(path: string, type: string, body: string | Buffer, extra = ""): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  return Buffer.concat([
    Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: t\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.length}\r\n${extra}Connection: close\r\n\r\n`,
      "latin1",
    ),
    bytes,
  ]);
}

const get = (path: string, extra = "") =>
  `GET ${path} HTTP/1.1\r\nHost: t\r\n${extra}Connection: close\r\n\r\n`;

const boundary = "----wireweb1234";
const multipart = [
  `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nZoë\r\n`,
  `--${boundary}\r\nContent-Disposition: form-data; name="message"\r\n\r\nhi & <bye>\r\n`,
  `--${boundary}--\r\n`,
].join("");

/** A chunked upload of 200 KB in 50 pieces: the handler reads it as a stream. */
function chunkedUpload(): Buffer {
  const piece = Buffer.alloc(4096, 0x61);
  const parts: Buffer[] = [
    Buffer.from(
      "POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    ),
  ];
  for (let i = 0; i < 50; i++) parts.push(Buffer.from("1000\r\n"), piece, Buffer.from("\r\n"));
  parts.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(parts);
}

/**
 * Where the reference server's bytes differ on purpose from wireweb's, line for line: `theirs`
 * is removed from the reference (it must be there), `ours` is added in its place; then every
 * remaining byte must be equal. Named here so that no other difference can hide.
 */
interface Known {
  theirs: string | null;
  ours: string | null;
}

// @hono/node-server and srvx (h3) add "text/plain; charset=UTF-8" to bodies that name no
// type, with a space and whatever spelling; wireweb sends the Response's own headers, which
// for a string body include Fetch's "text/plain;charset=UTF-8" and for a stream nothing (as
// Deno, Bun and workers do).
const HONO_TEXT: Known = {
  theirs: "Content-Type: text/plain; charset=UTF-8",
  ours: "content-type: text/plain;charset=UTF-8",
};
const HONO_STREAM: Known = { theirs: "Content-Type: text/plain; charset=UTF-8", ours: null };
// node:http sends an empty body with chunked coding when no length was set; wireweb knows the
// body is empty and says so.
const EMPTY_CHUNKED: Known = { theirs: "Transfer-Encoding: chunked", ours: "Content-Length: 0" };
// Hono answers HEAD with `new Response(null, getResponse)`: the type the GET response implied.
const HONO_HEAD_TEXT: Known = {
  theirs: "content-type: text/plain; charset=UTF-8",
  ours: "content-type: text/plain;charset=UTF-8",
};
const H3_TEXT: Known = {
  theirs: "content-type: text/plain; charset=UTF-8",
  ours: "content-type: text/plain;charset=UTF-8",
};
/** srvx spells its Content-Length in lower case; wireweb's server adds its own. */
const h3Length = (n: number): Known => ({
  theirs: `content-length: ${n}`,
  ours: `Content-Length: ${n}`,
});

type Case = [name: string, request: string | Buffer, known?: Known[]];

const honoCases: Case[] = [
  ["text route", get("/"), [HONO_TEXT]],
  ["route params and query", get("/users/7?q=x%20y")],
  ["a path the URL parser rewrites", get("/users/a/../7?q=1")],
  ["JSON body in, JSON out, 201", post("/json", "application/json", '{"n":[1,2,3],"s":"é"}')],
  [
    "urlencoded form POST",
    post("/form", "application/x-www-form-urlencoded", "name=Ann&message=hi+%26+bye"),
  ],
  ["multipart form POST", post("/form", `multipart/form-data; boundary=${boundary}`, multipart)],
  ["streamed response", get("/stream"), [HONO_STREAM]],
  ["cookies in and out (two Set-Cookie fields)", get("/cookies", "Cookie: visit=3; other=x\r\n")],
  ["streamed chunked upload", chunkedUpload()],
  ["204 without a body", get("/empty")],
  ["redirect", get("/moved"), [EMPTY_CHUNKED]],
  ["handler error through app.onError", get("/fail")],
  ["404", get("/nope")],
  ["HEAD", "HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", [HONO_HEAD_TEXT]],
  ["method not routed", "DELETE / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"],
];

const h3Cases: Case[] = [
  ["text route", get("/"), [H3_TEXT, h3Length(13)]],
  ["route params", get("/items/9"), [h3Length(25)]],
  ["JSON echo", post("/echo", "application/json", '{"a":[1,"two"]}'), [h3Length(24)]],
  ["cookies", get("/cookies", "Cookie: visit=2\r\n"), [H3_TEXT, h3Length(14)]],
  ["streamed response", get("/stream")],
  ["404", get("/nope"), [h3Length(77)]],
  ["HEAD", "HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"],
];

for (const [kind, makeApp, cases] of [
  ["hono", honoApp, honoCases],
  ["h3", h3App, h3Cases],
] as const) {
  describe(`${kind} app: wireweb answers what its usual Node server answers`, () => {
    let ref: { child: ChildProcess; port: number };
    let ours: Server;
    let port: number;
    const errors: unknown[] = [];

    beforeAll(async () => {
      ref = await startReference(kind);
      ours = createFetchServer(makeApp().fetch, { onError: (error) => errors.push(error) });
      port = (await ours.listen(0, "127.0.0.1")).port;
    });

    afterAll(async () => {
      ref?.child.stdin?.end();
      await ours?.close();
      expect(errors).toEqual([]);
    });

    it.each(cases)("%s", async (_name, request, known = []) => {
      const [theirs, mine] = await Promise.all([
        exchange(ref.port, request),
        exchange(port, request),
      ]);
      const a = parse(theirs);
      const b = parse(mine);
      let expected = a.lines;
      for (const { theirs: line, ours } of known) {
        if (line !== null) {
          expect(expected).toContain(line);
          expected = expected.filter((l) => l !== line);
        }
        if (ours !== null) expected = byName([...expected, ours]);
      }
      expect(b.lines).toEqual(expected);
      // srvx sends h3's responses with an empty reason phrase ("HTTP/1.1 200 "); the reason
      // phrase means nothing to a client (RFC 9112 §4) and wireweb sends the registered one.
      const statusLine =
        kind === "h3"
          ? a.statusLine.replace(/ $/, ` ${statusText(Number(a.statusLine.slice(9, 12)))}`)
          : a.statusLine;
      expect(b.statusLine).toBe(statusLine);
      expect(b.chunked).toBe(expected.includes("Transfer-Encoding: chunked"));
      expect(b.body.toString("latin1")).toBe(a.body.toString("latin1"));
    });
  });
}
