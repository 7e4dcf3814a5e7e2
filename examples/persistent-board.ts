// Twin of persistent-board.py: the same board, the messages in @wireweb/message-store's
// append-only log. A message is on disk (fsync) before the 303 goes out, and a torn tail after
// a crash is recovered at the next start.
// Run: pnpm --filter examples persistent-board   (MESSAGES_FILE picks the log file)
import { BaseHTTPRequestHandler, HTTPServer } from "@wireweb/http";
import { type MessageStore, openStore } from "@wireweb/message-store";
import { parseQs } from "@wireweb/querystring";
import { boardPage, escapeHtml } from "./board-page.js";
import { isMain, portFromEnv } from "./main.js";

/** A handler class over `store`. */
export function persistentBoardHandler(store: MessageStore) {
  return class BoardHandler extends BaseHTTPRequestHandler {
    async doGET() {
      const { messages } = await store.list({ limit: 100 });
      const items = messages.map(
        (m) => `${escapeHtml(m.text)} <small>${escapeHtml(m.postedAt)}</small>`,
      );
      this.sendResponse(200);
      this.sendHeader("Content-type", "text/html; charset=utf-8");
      this.endHeaders();
      await this.wfile.write(boardPage(items));
    }

    async doPOST() {
      const fields = parseQs(await this.rfile.read());
      const message = fields.message?.[0] ?? "";
      if (message.trim() !== "") await store.append(message); // resolves once it is durable
      this.sendResponse(303);
      this.sendHeader("Location", "/");
      this.endHeaders();
    }
  };
}

if (isMain(import.meta.url)) {
  const store = await openStore(process.env.MESSAGES_FILE ?? "messages.log");
  const server = new HTTPServer(["", portFromEnv()], persistentBoardHandler(store));
  process.once("SIGINT", () => void server.shutdown());
  console.log(`Serving on http://localhost:${await server.listen()}/`);
  await server.serveForever();
  await store.close();
}
