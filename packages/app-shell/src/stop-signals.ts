/**
 * Signals that arrive within this long of the first are the same Ctrl-C: the terminal sends
 * SIGINT to the whole process group, and pnpm forwards one more SIGINT to its child (and, when
 * pnpm itself got two, a SIGTERM). A person pressing Ctrl-C again after reading "Ctrl-C again to
 * force" takes far longer than this.
 */
export const SAME_SIGNAL_MS = 500;

/** How often a stop that is still waiting says so again. */
const REMIND_MS = 5_000;

/** What {@link handleStopSignals} needs from the process it stops. */
export interface StopHandlers {
  /** Prints a line. */
  say(line: string): void;
  /** What the stop waits for right now (`waiting for 2 requests`), or undefined for nothing. */
  waitingFor(): string | undefined;
  /** Stops gracefully; the process exits 0 when it resolves. */
  stop(): Promise<void>;
  /** The second Ctrl-C: stop at once (the process then exits 130). */
  force?(): void;
  /** Say nothing when a stop has nothing to wait for (a worker: the primary speaks for it). */
  quietWhenIdle?: boolean;
  /** The signals that stop. Default SIGINT and SIGTERM. */
  signals?: readonly NodeJS.Signals[];
  /** Exits; replaced in tests. Default `process.exit`. */
  exit?(code: number): void;
}

/** What the caller can do with the installed handlers. */
export interface StopControl {
  /** Stops as a signal would, without a word (`--once`); later signals then force. */
  stop(): void;
}

/**
 * Installs SIGINT and SIGTERM handlers: the first says what the stop waits for and stops
 * gracefully (exit 0, so `pnpm start` does not report a failure), signals within
 * {@link SAME_SIGNAL_MS} of it are ignored, a later one forces (exit 130).
 */
export function handleStopSignals(handlers: StopHandlers): StopControl {
  const exit = handlers.exit ?? ((code: number) => process.exit(code));
  let firstAt: number | undefined;

  const begin = (announce: string | undefined) => {
    firstAt = performance.now();
    const waiting = announce === undefined ? undefined : handlers.waitingFor();
    if (announce !== undefined && !(waiting === undefined && handlers.quietWhenIdle)) {
      handlers.say(
        waiting === undefined
          ? `\n${announce}: stopping`
          : `\n${announce}: stopping; ${waiting}; Ctrl-C again to force`,
      );
    }
    const reminder = setInterval(() => {
      const waiting = handlers.waitingFor();
      if (waiting !== undefined) handlers.say(`still ${waiting}; Ctrl-C again to force`);
    }, REMIND_MS);
    reminder.unref();
    handlers.stop().then(
      () => exit(0),
      (error: unknown) => {
        handlers.say(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
      },
    );
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) return begin(signal);
    if (performance.now() - firstAt < SAME_SIGNAL_MS) return;
    const waiting = handlers.waitingFor();
    handlers.say(
      `${signal} again: stopping now${waiting === undefined ? "" : ` (was ${waiting})`}`,
    );
    handlers.force?.();
    exit(130);
  };
  for (const signal of handlers.signals ?? ["SIGINT", "SIGTERM"]) process.on(signal, onSignal);
  return {
    stop() {
      if (firstAt === undefined) begin(undefined);
    },
  };
}

/** `1 request`, `2 requests`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
