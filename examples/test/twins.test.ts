import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HandlerClass, HTTPServer } from "@wireweb/http";
import { openStore } from "@wireweb/message-store";
import { afterEach, describe, expect, it } from "vitest";
import { boardHandler } from "../board.js";
import { fileHandler, SITE } from "../file-server.js";
import { MyHandler } from "../hello-server.js";
import { serveOnce } from "../one-shot.js";
import { persistentBoardHandler } from "../persistent-board.js";

// Each twin on a real socket (127.0.0.1, a port the system picks), asked with real clients.

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(Handler: HandlerClass): Promise<string> {
  const server = new HTTPServer(["127.0.0.1", 0], Handler);
  const port = await server.listen();
  cleanups.push(() => server.shutdown());
  return `http://127.0.0.1:${port}`;
}

/** Sends `path` byte for byte (fetch would normalise "/../") and returns the status code. */
function rawStatus(url: string, path: string): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(Number(answer.slice(9, 12))));
    socket.end(`GET ${path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
  });
}

function post(url: string, message: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ message }).toString(),
    redirect: "manual",
  });
}

describe("one-shot.ts (one-shot.py on node:net)", () => {
  it("answers one connection with the hello page, prints the request, and stops", async () => {
    const lines: string[] = [];
    const { url, done, server } = await serveOnce(0, (line) => lines.push(line));
    const response = await fetch(url.replace("localhost", "127.0.0.1"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("<html><body><h1>hello</h1></body></html>");
    const head = await done;
    expect(head).toMatch(/^GET \/ HTTP\/1\.1\r\n/);
    expect(lines[0]).toMatch(/^Connected by 127\.0\.0\.1:\d+$/);
    expect(lines[1]).toBe(head);
    expect(server.listening).toBe(false);
    await expect(fetch(url.replace("localhost", "127.0.0.1"))).rejects.toThrow();
  });

  it("waits for a head that arrives in pieces", async () => {
    const { url, done } = await serveOnce(0, () => {});
    const socket = connect(Number(new URL(url).port), "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk;
    });
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.write("GET /pie");
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.write("ces HTTP/1.1\r\nHost: t\r\n\r\n");
    expect(await done).toBe("GET /pieces HTTP/1.1\r\nHost: t");
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });
});

describe("hello-server.ts (HTTPServer + BaseHTTPRequestHandler)", () => {
  it("says hello to GET and 501 to what it has no do_ method for", async () => {
    const url = await serve(MyHandler);
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html");
    expect(await response.text()).toBe("<html><body><h1>hello</h1></body></html>");
    expect((await fetch(`${url}/`, { method: "POST" })).status).toBe(501);
  });
});

describe("file-server.ts (do_GET over files)", () => {
  it("serves the site's files, 404 for a missing one", async () => {
    const url = await serve(fileHandler(SITE));
    for (const [path, title] of [
      ["/", "The chapter's site"],
      ["/index.html", "The chapter's site"],
      ["/page.html?x=1", "Another page"],
    ] as const) {
      const response = await fetch(url + path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await response.text()).toContain(`<title>${title}</title>`);
    }
    expect((await fetch(`${url}/nothing.html`)).status).toBe(404);
  });

  it.each([
    ["/../package.json", 403],
    ["/%2e%2e/package.json", 403],
    ["/..%2fpackage.json", 403],
    ["/%00", 400],
    ["/%zz", 400],
  ])("refuses %s with %i (the Python original reads it)", async (path, status) => {
    const url = await serve(fileHandler(SITE));
    expect(await rawStatus(url, path)).toBe(status);
  });
});

describe("board.ts (do_POST with parseQs)", () => {
  it("keeps posted messages in order, escaped, and answers a post with 303 to /", async () => {
    const url = await serve(boardHandler());
    for (const message of ["first", "<script>alert(1)</script>", "  "]) {
      const response = await post(`${url}/`, message);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/");
    }
    const html = await (await fetch(`${url}/`)).text();
    expect(html).toContain("<ul><li>first</li><li>&lt;script&gt;alert(1)&lt;/script&gt;</li></ul>");
    expect(html).toContain('<textarea name="message">');
  });
});

describe("persistent-board.ts (the board over @wireweb/message-store)", () => {
  it("shows the same timestamped messages after a restart on the same file", async () => {
    const folder = mkdtempSync(join(tmpdir(), "examples-board-"));
    cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
    const file = join(folder, "messages.log");

    const first = await openStore(file, { onWarning() {} });
    const url = await serve(persistentBoardHandler(first));
    expect((await post(`${url}/`, "kept & sound")).status).toBe(303);
    await cleanups.pop()!(); // the server stops
    await first.close();

    const second = await openStore(file, { onWarning() {} });
    cleanups.push(() => second.close());
    const again = await serve(persistentBoardHandler(second));
    const html = await (await fetch(`${again}/`)).text();
    expect(html).toMatch(/<li>kept &amp; sound <small>\d{4}-\d\d-\d\dT[\d:.]+Z<\/small><\/li>/);
  });
});
