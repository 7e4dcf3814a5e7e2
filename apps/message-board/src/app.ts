import type { HttpRequest, HttpResponse } from "@wireweb/http";
import type { ClearAccess } from "./admin.js";
import { clearMessages, createMessage, listMessages } from "./api.js";
import { loadAssets } from "./assets.js";
import { clientInfo } from "./client-info.js";
import { BoardError, hasCode, methodNotAllowed, toBoardError } from "./errors.js";
import { LiveUpdates } from "./live-updates.js";
import { type BoardOptions, resolveOptions } from "./options.js";
import { checkOrigin } from "./origin-check.js";
import { getBoardPage, postBoardForm } from "./page.js";
import { SECURITY_HEADERS, sendError } from "./respond.js";

export type { BoardOptions } from "./options.js";

/** The board's request handler, plus what a graceful shutdown needs. */
export interface BoardHandler {
  (request: HttpRequest, response: HttpResponse): Promise<void>;
  /** Ends every live-update stream and refuses new ones; call before `server.close()`. */
  close(): Promise<void>;
  /** Live-update streams open right now. */
  readonly liveStreams: number;
  /** Who may clear: the administrator, anyone (loopback only) or nobody. */
  readonly clearAccess: ClearAccess;
}

/**
 * Creates the message board's handler for `@wireweb/http`'s `createServer`. Routes:
 * `GET|POST /` (and `/index.html`), `/board.js`, `/board.css`, `GET|POST|DELETE /api/messages`,
 * `GET /api/messages/events` (Server-Sent Events). Unsafe methods from another origin get 403.
 * The store is injected: the app opens the file log, tests may pass any `MessageStore`.
 *
 * @throws TypeError / RangeError for bad options (see `BoardOptions`).
 * @example
 * const store = await openStore("data/messages.log");
 * const board = createBoardHandler({ store, timeZone: "UTC" });
 * await createServer(board).listen(8080, "localhost");
 */
export function createBoardHandler(options: BoardOptions): BoardHandler {
  const context = resolveOptions(options);
  const live = new LiveUpdates();
  const log = options.log;
  const trustProxy = options.trustProxy ?? false;
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const assets = loadAssets(onError);

  async function route(request: HttpRequest, response: HttpResponse): Promise<void> {
    const { method, path } = request;
    switch (path) {
      case "/":
      case "/index.html":
        if (method === "GET" || method === "HEAD") return getBoardPage(context, request, response);
        if (method === "POST") return postBoardForm(context, request, response);
        throw methodNotAllowed("GET, HEAD, POST");
      case "/api/messages":
        if (method === "GET" || method === "HEAD") return listMessages(context, request, response);
        if (method === "POST") return createMessage(context, request, response);
        if (method === "DELETE") return clearMessages(context, request, response);
        throw methodNotAllowed("GET, HEAD, POST, DELETE");
      case "/login":
        if (method === "GET" || method === "HEAD") return context.admin.getLogin(request, response);
        if (method === "POST") return context.admin.postLogin(request, response);
        throw methodNotAllowed("GET, HEAD, POST");
      case "/logout":
        if (method === "POST") return context.admin.postLogout(request, response);
        throw methodNotAllowed("POST");
      case "/api/messages/events":
        if (method === "GET") return live.serve(context, request, response);
        throw methodNotAllowed("GET");
    }
    if (assets.paths.has(path)) {
      if (method === "GET" || method === "HEAD") return assets.serve(request, response);
      throw methodNotAllowed("GET, HEAD");
    }
    throw new BoardError("ERR_NOT_FOUND", 404, "There is no page at this address.");
  }

  async function handle(request: HttpRequest, response: HttpResponse): Promise<void> {
    const started = performance.now();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const json = request.path.startsWith("/api/");
    const client = clientInfo(request, trustProxy);
    try {
      const verdict = checkOrigin(
        request.method,
        (name) => request.headers.get(name),
        client.scheme,
      );
      if (!verdict.allowed) {
        throw new BoardError(
          "ERR_CROSS_ORIGIN",
          403,
          `Cross-origin requests cannot change the board (${verdict.reason}).`,
        );
      }
      await route(request, response);
    } catch (caught) {
      // A client that left mid-response needs no answer and is not a server error.
      if (request.signal.aborted || hasCode(caught, "WW_HTTP_CONNECTION_CLOSED")) return;
      const error = toBoardError(caught);
      // A bug or a store that cannot read its file is logged; a 503 (read-only, shutting down) was
      // already reported by the store, and 4xx are the client's.
      if (error.status === 500) onError(caught);
      if (!response.headersSent) await sendError(response, error, json);
      else if (!response.finished) await response.end().catch(() => undefined);
    } finally {
      if (log !== undefined) {
        const ms = Math.round(performance.now() - started);
        log(`${client.address} ${request.method} ${request.target} ${response.statusCode} ${ms}ms`);
      }
    }
  }

  return Object.defineProperties(handle, {
    close: { value: () => live.close() },
    liveStreams: { get: () => live.size },
    clearAccess: { value: context.admin.access },
  }) as BoardHandler;
}
