import { afterEach, describe, expect, it } from "vitest";
import { BaseHTTPRequestHandler, HTTPServer, handlerFromClass } from "../src/base-handler.js";
import { get, RawClient, start } from "./server-helpers.js";

// The chapter's second example, line for line.
class MyHandler extends BaseHTTPRequestHandler {
  async doGET() {
    this.sendResponse(200);
    this.sendHeader("Content-type", "text/html");
    this.endHeaders();
    await this.wfile.write("<html><body><h1>hello</h1></body></html>");
  }
}

const running: HTTPServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.shutdown()));
});

describe("BaseHTTPRequestHandler", () => {
  it("runs the chapter's example through HTTPServer", async () => {
    const server = new HTTPServer(["127.0.0.1", 0], MyHandler, {
      onError: (error) => {
        throw error;
      },
    });
    running.push(server);
    const port = await server.listen();
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(await res.text()).toBe("<html><body><h1>hello</h1></body></html>");
  });

  it("serveForever resolves after shutdown", async () => {
    const server = new HTTPServer(["127.0.0.1", 0], MyHandler);
    let served = false;
    const forever = server.serveForever().then(() => {
      served = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(served).toBe(false);
    await server.shutdown();
    await forever;
    expect(served).toBe(true);
  });

  it("answers a method without do<METHOD> with 501, as Python does", async () => {
    const { port } = await start(handlerFromClass(MyHandler));
    const client = await RawClient.connect(port);
    client.write("PATCH / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
    const response = await client.response();
    expect(response.status).toBe(501);
    expect(response.headers.allow).toBe("GET");
    expect(response.body.toString()).toContain("Unsupported method (&#39;PATCH&#39;)");
    client.write(get("/"));
    expect((await client.response()).status).toBe(200);
  });

  it("exposes path, command, headers, clientAddress and rfile", async () => {
    class Echo extends BaseHTTPRequestHandler {
      async doPOST() {
        const body = new TextDecoder().decode(await this.rfile.read());
        this.sendResponse(201);
        this.sendHeader("X-Path", this.path);
        this.sendHeader("X-Seen", "one");
        this.sendHeader("X-Seen", "two");
        this.endHeaders();
        const [address, port] = this.clientAddress;
        await this.wfile.write(
          `${this.command} ${this.requestVersion} ${this.headers.get("x-name")} ${body} ${address} ${port > 0}`,
        );
      }
    }
    const { port } = await start(handlerFromClass(Echo));
    const client = await RawClient.connect(port);
    client.write(
      "POST /form?a=1 HTTP/1.1\r\nHost: t\r\nX-Name: ada\r\nContent-Length: 4\r\n\r\nbody",
    );
    const response = await client.response();
    expect(response.status).toBe(201);
    expect(response.head).toContain("X-Path: /form?a=1\r\n");
    expect(response.head).toContain("X-Seen: one\r\nX-Seen: two\r\n");
    expect(response.body.toString()).toBe("POST HTTP/1.1 ada body 127.0.0.1 true");
  });

  it("sends an escaped HTML error page with sendError", async () => {
    class Missing extends BaseHTTPRequestHandler {
      async doGET() {
        await this.sendError(404, `no <${this.path}> here`);
      }
    }
    const { url } = await start(handlerFromClass(Missing));
    const res = await fetch(`${url}/x`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("<p>no &#60;/x&#62; here</p>");
  });
});
