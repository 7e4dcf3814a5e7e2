import { connect, type Socket } from "node:net";
import { createServer, type Server } from "@wireweb/http";
import { afterEach, describe, expect, it } from "vitest";
import { createTinyHandler } from "../src/app.js";

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

async function start(logged: string[] = []) {
  server = createServer(createTinyHandler({ log: (text) => logged.push(text) }));
  const { port } = await server.listen(0, "127.0.0.1");
  return `http://127.0.0.1:${port}`;
}

/** Sends exact bytes and collects everything the server writes until `until` matches or it closes. */
function exchange(port: number, bytes: string, until: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    let text = "";
    const timer = setTimeout(
      () => reject(new Error(`timed out; got ${JSON.stringify(text)}`)),
      5000,
    );
    socket.on("data", (data) => {
      text += data.toString("latin1");
      if (until(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.on("error", reject);
    socket.write(bytes, "latin1");
  });
}

const countResponses = (text: string) => text.split("HTTP/1.1 200 OK").length - 1;

describe("tiny server over real sockets", () => {
  it("says hello and shows the request, every byte escaped", async () => {
    const base = await start();
    const response = await fetch(`${base}/some/path?q=<b>`, {
      headers: { "X-Evil": `<script>alert("x")</script>`, "User-Agent": "curl/8.5.0" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await response.text();
    expect(page).toContain("hello from our tiny server");
    expect(page).toContain("<code>GET</code>");
    expect(page).toContain("<code>/some/path?q=%3Cb%3E</code>");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).not.toContain("<script>");
    expect(page).toContain("<strong>curl 8</strong>");
  });

  it("shows a POST body, escaped", async () => {
    const base = await start();
    const page = await (
      await fetch(`${base}/form`, { method: "POST", body: "message=<i>hi</i>&x=1" })
    ).text();
    expect(page).toContain("<code>POST</code>");
    expect(page).toContain("21 bytes:");
    expect(page).toContain("message=&lt;i&gt;hi&lt;/i&gt;&amp;x=1");
  });

  it("answers any method and path", async () => {
    const base = await start();
    for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const response = await fetch(`${base}/${method.toLowerCase()}`, { method });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(`<code>${method}</code>`);
    }
  });

  it("logs the raw request head as received", async () => {
    const logged: string[] = [];
    const base = await start(logged);
    const port = Number(new URL(base).port);
    const head = "GET /raw HTTP/1.1\r\nHost: example.test\r\nX-Order: 1\r\n\r\n";
    await exchange(port, head, (text) => text.includes("</html>"));
    expect(logged).toEqual([head]);
  });

  it("keeps an HTTP/1.1 connection alive for several requests", async () => {
    const base = await start();
    const port = Number(new URL(base).port);
    const request = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
    const text = await exchange(
      port,
      request + request + request,
      (t) => countResponses(t) === 3 && t.endsWith("</html>\n"),
    );
    expect(countResponses(text)).toBe(3);
    expect(text).not.toMatch(/connection: close/i);
  });

  it("escapes control bytes and obs-text in header values", async () => {
    const base = await start();
    const port = Number(new URL(base).port);
    const text = await exchange(
      port,
      "GET / HTTP/1.1\r\nHost: x\r\nX-Latin: caf\xe9\tok\r\nConnection: close\r\n\r\n",
      () => false,
    );
    expect(text).toContain("HTTP/1.1 200 OK");
    expect(text).toContain("caf\\xe9\\tok");
  });
});
