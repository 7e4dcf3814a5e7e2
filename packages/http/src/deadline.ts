/**
 * One timer per connection for all of its deadlines, re-armed lazily. `set(at)` only touches
 * the timer when `at` is earlier than the one already scheduled; a later deadline leaves the
 * earlier timer in place, and when it fires the owner re-reads its state and sets the next
 * deadline. A keep-alive request then costs no clearTimeout/setTimeout pair per state change,
 * only an occasional early wake-up.
 */
export class Deadline {
  #timer: NodeJS.Timeout | undefined;
  /** When the scheduled timer fires (ms since the epoch); Infinity when none is scheduled. */
  #due = Number.POSITIVE_INFINITY;
  readonly #onDue: () => void;

  /** @param onDue called when a scheduled time has come; it re-reads the deadlines and calls `set` again. */
  constructor(onDue: () => void) {
    this.#onDue = onDue;
  }

  /** Makes sure `onDue` runs no later than `at` (ms since the epoch; Infinity: nothing due). */
  set(at: number, now: number): void {
    if (at >= this.#due) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#due = at;
    this.#timer = setTimeout(this.#fire, Math.max(0, at - now));
    this.#timer.unref();
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due = Number.POSITIVE_INFINITY;
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#due = Number.POSITIVE_INFINITY;
    this.#onDue();
  };
}
