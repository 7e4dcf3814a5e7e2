/**
 * The chapter's second example ("Python programs as network servers"), almost line for line:
 *
 *   class MyHandler(BaseHTTPRequestHandler):
 *       def do_GET(self):
 *           self.send_response(200)
 *           self.send_header('Content-type', 'text/html')
 *           self.end_headers()
 *           self.wfile.write(bytes("<html><body><h1>hello</h1></body></html>", "utf-8"))
 *   server = HTTPServer(('', 8080), MyHandler); server.serve_forever()
 *
 * Run: `npx tsx examples/chapter.ts`, then open http://localhost:8080/.
 * `PORT` picks another port. Ctrl-C stops it.
 */
import { BaseHTTPRequestHandler, HTTPServer } from "../src/index.js"; // "@wireweb/http" outside this repository

class MyHandler extends BaseHTTPRequestHandler {
  async doGET() {
    this.sendResponse(200);
    this.sendHeader("Content-type", "text/html");
    this.endHeaders();
    await this.wfile.write("<html><body><h1>hello</h1></body></html>");
  }
}

const server = new HTTPServer(["", Number(process.env.PORT ?? 8080)], MyHandler);
process.once("SIGINT", () => void server.shutdown());
process.once("SIGTERM", () => void server.shutdown());
const port = await server.listen(); // PORT=0: the system picks a free port
console.log(`Serving on http://localhost:${port}/`);
await server.serveForever();
