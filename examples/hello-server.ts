// Twin of hello-server.py: the same class, the same calls, on @wireweb/http.
// Run: pnpm --filter examples hello
import { BaseHTTPRequestHandler, HTTPServer } from "@wireweb/http";
import { isMain, portFromEnv } from "./main.js";

export class MyHandler extends BaseHTTPRequestHandler {
  async doGET() {
    this.sendResponse(200);
    this.sendHeader("Content-type", "text/html");
    this.endHeaders();
    await this.wfile.write("<html><body><h1>hello</h1></body></html>");
  }
}

if (isMain(import.meta.url)) {
  const server = new HTTPServer(["", portFromEnv()], MyHandler);
  process.once("SIGINT", () => void server.shutdown());
  console.log(`Serving on http://localhost:${await server.listen()}/`);
  await server.serveForever();
}
