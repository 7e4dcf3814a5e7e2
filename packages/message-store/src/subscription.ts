import type { StoreEvent } from "./types.js";

/**
 * One `follow` consumer: a replay of past events, then live events queued as they happen, until
 * the signal aborts or the store closes. Exported for adapters: `new Subscription(replay, signal,
 * onEnd)`, then `push()` every live event that comes after the replay's last one, and `end()` it
 * when the store closes. The queue is unbounded: a consumer that stops reading
 * must abort its signal (an SSE server drops laggards and lets them reconnect and replay).
 */
export class Subscription implements AsyncIterableIterator<StoreEvent> {
  #replay: AsyncIterator<StoreEvent> | undefined;
  #queue: StoreEvent[] = [];
  #head = 0;
  #wake: (() => void) | undefined;
  #ended = false;
  #last: Promise<unknown> = Promise.resolve();
  readonly #signal: AbortSignal;
  readonly #onEnd: (sub: Subscription) => void;
  readonly #onAbort = () => this.end();

  constructor(
    replay: AsyncIterator<StoreEvent> | undefined,
    signal: AbortSignal,
    onEnd: (sub: Subscription) => void,
  ) {
    this.#replay = replay;
    this.#signal = signal;
    this.#onEnd = onEnd;
    if (signal.aborted) this.#ended = true;
    else signal.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Queues a live event. */
  push(event: StoreEvent): void {
    if (this.#ended) return;
    this.#queue.push(event);
    this.#wakeUp();
  }

  /** Stops the iteration: pending and future `next()` calls resolve done. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#queue = [];
    this.#signal.removeEventListener("abort", this.#onAbort);
    this.#onEnd(this);
    this.#wakeUp();
  }

  next(): Promise<IteratorResult<StoreEvent>> {
    // Calls that overlap take turns, so each event goes to exactly one of them, in order.
    const result = this.#last.then(() => this.#take());
    this.#last = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<StoreEvent>> {
    this.end();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async #take(): Promise<IteratorResult<StoreEvent>> {
    for (;;) {
      if (this.#ended) return { done: true, value: undefined };
      if (this.#replay !== undefined) {
        let past: IteratorResult<StoreEvent>;
        try {
          past = await this.#replay.next();
        } catch (err) {
          // Ended meanwhile (the store closed the file the replay was reading): just stop.
          if (this.#ended) return { done: true, value: undefined };
          throw err;
        }
        if (this.#ended) return { done: true, value: undefined };
        if (!past.done) return past;
        this.#replay = undefined;
      }
      if (this.#head < this.#queue.length) {
        const event = this.#queue[this.#head]!;
        this.#head++;
        if (this.#head === this.#queue.length) {
          this.#queue = [];
          this.#head = 0;
        }
        return { done: false, value: event };
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
