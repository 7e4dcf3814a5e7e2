import type { HttpRequest, HttpResponse } from "@wireweb/http";
import type { StoreEvent } from "@wireweb/message-store";
import { BoardError, toBoardError } from "./errors.js";
import { type BoardContext, MAX_API_LIMIT } from "./options.js";
import { parsePageQuery } from "./query.js";
import { formatStoreEvent, SseStream } from "./sse.js";

/** The open live-update streams of one board, so shutdown can end them all. */
export class LiveUpdates {
  readonly #streams = new Map<SseStream, AbortController>();
  #closed = false;

  /** Streams open right now. */
  get size(): number {
    return this.#streams.size;
  }

  /**
   * `GET /api/messages/events`: a `text/event-stream` of the board's events. A reconnecting
   * browser sends `Last-Event-ID` and gets everything after it first; a page passes `?after=`
   * (the newest message it shows) on its first connection. Without either, only new events.
   *
   * @throws BoardError `ERR_INVALID_CURSOR` (400) before the stream starts; 503 when shutting down.
   */
  async serve(context: BoardContext, request: HttpRequest, response: HttpResponse): Promise<void> {
    if (this.#closed) throw new BoardError("ERR_STORE_CLOSED", 503, "The board is shutting down.");
    const after = resumeCursor(request);
    const controller = new AbortController();
    let events: AsyncIterable<StoreEvent>;
    try {
      // The store checks the cursor synchronously, so a bad one is a 400, not a broken stream.
      events = context.store.follow(after, controller.signal);
    } catch (error) {
      throw toBoardError(error);
    }
    const stream = new SseStream(response, context.sse);
    this.#streams.set(stream, controller);
    const onClientGone = () => {
      controller.abort();
      stream.close();
    };
    request.signal.addEventListener("abort", onClientGone, { once: true });
    try {
      for await (const event of events) {
        if (!(await stream.send(formatStoreEvent(event)))) break;
      }
    } finally {
      request.signal.removeEventListener("abort", onClientGone);
      controller.abort();
      this.#streams.delete(stream);
      // The store ended the iteration (it closed) or the loop broke: either way the stream ends.
      stream.close();
    }
  }

  /** Ends every stream and refuses new ones (graceful shutdown). */
  close(): Promise<void> {
    this.#closed = true;
    for (const [stream, controller] of this.#streams) {
      controller.abort();
      stream.close();
    }
    return Promise.resolve();
  }
}

/** `Last-Event-ID` (set by the browser on reconnect) wins over `?after=` (the page's first view). */
function resumeCursor(request: HttpRequest): string | undefined {
  const lastEventId = request.headers.get("last-event-id")?.trim();
  if (lastEventId !== undefined && lastEventId !== "") return lastEventId;
  const after = parsePageQuery(request.query, MAX_API_LIMIT).after;
  return after;
}
