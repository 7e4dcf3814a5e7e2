import type { MinDataRate } from "./types.js";

/**
 * The average data rate of one transfer, as Kestrel's MinDataRate measures it: bytes moved
 * divided by the time the transfer was *expected* to move, after a grace period. Time is only
 * counted while running: a body the handler is not reading, or a response the server is not
 * waiting to send, is paused, so a slow handler is never blamed on its client.
 *
 * Progress is an absolute, growing byte count read from the connection (bytes received, or
 * bytes the socket has flushed), so nothing is counted per chunk: the meter is read only when
 * the connection's deadline comes.
 */
export class RateMeter {
  #running = false;
  /** `now - time counted so far` while running: the origin of the counted time. */
  #origin = 0;
  /** Time counted in earlier running intervals. */
  #elapsed = 0;
  /** Bytes moved in earlier running intervals. */
  #bytes = 0;
  /** Progress when the current interval began. */
  #base = 0;

  get running(): boolean {
    return this.#running;
  }

  /** Starts a new measurement at `progress`. */
  start(now: number, progress: number): void {
    this.#elapsed = 0;
    this.#bytes = 0;
    this.#running = false;
    this.resume(now, progress);
  }

  resume(now: number, progress: number): void {
    if (this.#running) return;
    this.#running = true;
    this.#origin = now - this.#elapsed;
    this.#base = progress;
  }

  pause(now: number, progress: number): void {
    if (!this.#running) return;
    this.#running = false;
    this.#elapsed = now - this.#origin;
    this.#bytes += progress - this.#base;
  }

  stop(): void {
    this.#running = false;
  }

  /**
   * When the average would fall below `min` if no more bytes moved: after the grace period,
   * `bytes / counted time` must stay at least `min.bytesPerSecond`. Infinity when not running
   * or when there is no minimum.
   */
  deadline(min: MinDataRate | false, progress: number): number {
    if (!this.#running || min === false) return Number.POSITIVE_INFINITY;
    const bytes = this.#bytes + progress - this.#base;
    return this.#origin + Math.max(min.graceMs, (bytes * 1000) / min.bytesPerSecond);
  }
}
