import type { HttpResponse } from "@wireweb/http";
import type { StoreEvent } from "@wireweb/message-store";

/** One Server-Sent Event (HTML Living Standard §9.2 "Server-sent events"). */
export interface SseEvent {
  /** Becomes the client's `lastEventId`, sent back as `Last-Event-ID` on reconnect. */
  id?: string;
  /** The event type; the client's default is `message`. */
  event?: string;
  /** The payload; each of its lines becomes one `data:` line. */
  data: string;
}

/** A comment line: clients ignore it, proxies and idle timers see traffic. */
export const SSE_PING = ": ping\n\n";

/**
 * Frames one event in the `text/event-stream` format: `id:`, `event:`, one `data:` line per line
 * of `data` (any of CRLF, CR or LF splits it, as the parser does), then a blank line.
 *
 * @throws TypeError when `id` or `event` contains a line break or NUL, which would end the field
 * early (a NUL in `id` also makes clients ignore it).
 * @example formatSseEvent({ id: "7", data: "a\nb" }) // "id: 7\ndata: a\ndata: b\n\n"
 */
export function formatSseEvent(event: SseEvent): string {
  let frame = "";
  if (event.id !== undefined) frame += `id: ${checkField("id", event.id)}\n`;
  if (event.event !== undefined) frame += `event: ${checkField("event", event.event)}\n`;
  for (const line of event.data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

function checkField(name: string, value: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new TypeError(`event.${name} must not contain CR, LF or NUL: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The SSE frame for a store event: a `message` event whose data is the message as JSON
 * (`{"id","text","postedAt"}`, as the JSON API sends it), or a `clear` event. Both carry the
 * store's cursor as `id`, so a reconnecting client resumes right after it.
 */
export function formatStoreEvent(event: StoreEvent): string {
  // A store hands the same event object to every subscriber: frame it once, not once per client
  // (with 500 live clients, that is 499 JSON.stringify calls saved per message).
  let frame = FRAMES.get(event);
  if (frame === undefined) {
    frame = frameStoreEvent(event);
    FRAMES.set(event, frame);
  }
  return frame;
}

const FRAMES = new WeakMap<StoreEvent, string>();

function frameStoreEvent(event: StoreEvent): string {
  if (event.type === "clear") {
    return formatSseEvent({ id: event.id, event: "clear", data: JSON.stringify({ id: event.id }) });
  }
  const { id, text, postedAt } = event.message;
  return formatSseEvent({ id, event: "message", data: JSON.stringify({ id, text, postedAt }) });
}

/** Limits of one {@link SseStream}. */
export interface SseStreamOptions {
  /** Frames waiting for the socket before the producer must wait. Default 256. */
  queueLimit?: number;
  /** How long the producer waits for room before the subscriber is dropped. Default 10 s. */
  stallMs?: number;
  /** Interval of `: ping` comments while the stream is idle. Default 15 s. */
  pingMs?: number;
  /** The `retry:` reconnection delay sent to the client first. Default 2 s. */
  retryMs?: number;
}

/**
 * One open `text/event-stream` response with a bounded queue. `send` queues a frame and the
 * writer hands queued frames to the socket in batches, waiting for each write (backpressure).
 * When the queue is full the producer waits; a subscriber that takes no data for `stallMs`
 * while the queue is full is a laggard and is dropped: the stream ends, and the browser
 * reconnects with `Last-Event-ID` and gets a replay. Memory per subscriber stays bounded.
 */
export class SseStream {
  readonly #response: HttpResponse;
  readonly #queueLimit: number;
  readonly #stallMs: number;
  #frames: string[] = [];
  #writing: Promise<void> | undefined;
  #roomWaiters: Array<(room: boolean) => void> = [];
  #closed = false;
  readonly #ping: ReturnType<typeof setInterval>;

  constructor(response: HttpResponse, options: SseStreamOptions = {}) {
    this.#response = response;
    this.#queueLimit = options.queueLimit ?? 256;
    this.#stallMs = options.stallMs ?? 10_000;
    response.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      // Proxies such as nginx buffer responses unless told not to.
      "X-Accel-Buffering": "no",
    });
    // Sending something at once commits the headers, so the browser's EventSource opens now.
    this.#frames.push(`retry: ${options.retryMs ?? 2000}\n: stream open\n\n`);
    this.#kick();
    this.#ping = setInterval(() => {
      if (this.#frames.length === 0) void this.send(SSE_PING);
    }, options.pingMs ?? 15_000);
    this.#ping.unref();
  }

  /** Whether the stream has ended (for any reason). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Queues a frame. Resolves `true` once there is room for the next one, or `false` when the
   * stream is closed or the subscriber was just dropped as a laggard: stop producing then.
   */
  send(frame: string): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    this.#frames.push(frame);
    this.#kick();
    if (this.#frames.length < this.#queueLimit) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#roomWaiters = this.#roomWaiters.filter((waiter) => waiter !== onRoom);
        this.close();
        resolve(false);
      }, this.#stallMs);
      const onRoom = (room: boolean) => {
        clearTimeout(timer);
        resolve(room);
      };
      this.#roomWaiters.push(onRoom);
    });
  }

  /**
   * Ends the stream (idempotent): drops queued frames, ends the response. Used when the client
   * left, when the server shuts down, and for laggards.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#ping);
    this.#frames = [];
    for (const waiter of this.#roomWaiters.splice(0)) waiter(false);
    // Waiting for neither a write the socket has not drained nor the end itself: a laggard may
    // never read them. The end queues behind the data, and the server closes a connection that
    // does not drain in time, so nothing here is held for long.
    if (!this.#response.finished) this.#response.end().catch(() => undefined);
  }

  #kick(): void {
    if (this.#writing !== undefined || this.#closed) return;
    this.#writing = this.#drain().finally(() => {
      this.#writing = undefined;
    });
  }

  async #drain(): Promise<void> {
    while (this.#frames.length > 0 && !this.#closed) {
      const batch = this.#frames.join("");
      this.#frames = [];
      this.#wakeProducers();
      try {
        await this.#response.write(batch);
      } catch {
        this.close();
        return;
      }
    }
  }

  #wakeProducers(): void {
    for (const waiter of this.#roomWaiters.splice(0)) waiter(true);
  }
}
