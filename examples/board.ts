// Twin of board.py: the same do_GET and do_POST, the form read with @wireweb/querystring's
// parseQs (Python's parse_qs semantics), every message escaped.
// Run: pnpm --filter examples board
import { BaseHTTPRequestHandler, HTTPServer } from "@wireweb/http";
import { parseQs } from "@wireweb/querystring";
import { boardPage, escapeHtml } from "./board-page.js";
import { isMain, portFromEnv } from "./main.js";

/** A handler class over its own list of messages (kept in memory, as in the chapter). */
export function boardHandler(messages: string[] = []) {
  return class BoardHandler extends BaseHTTPRequestHandler {
    async doGET() {
      this.sendResponse(200);
      this.sendHeader("Content-type", "text/html; charset=utf-8");
      this.endHeaders();
      await this.wfile.write(boardPage(messages.map(escapeHtml)));
    }

    async doPOST() {
      // rfile.read() takes Content-Length or chunked bodies, up to the server's body limit.
      const fields = parseQs(await this.rfile.read());
      const message = fields.message?.[0] ?? "";
      if (message.trim() !== "") messages.push(message);
      this.sendResponse(303);
      this.sendHeader("Location", "/");
      this.endHeaders();
    }
  };
}

if (isMain(import.meta.url)) {
  const server = new HTTPServer(["", portFromEnv()], boardHandler());
  process.once("SIGINT", () => void server.shutdown());
  console.log(`Serving on http://localhost:${await server.listen()}/`);
  await server.serveForever();
}
