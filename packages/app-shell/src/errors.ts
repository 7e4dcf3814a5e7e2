/**
 * What went wrong on the command line, and the exit code each mistake ends the process with.
 * 2 is the shell convention for "wrong usage" (what bash and most Unix tools use); a refusal by
 * the app itself (an option combination it cannot serve) is a usage mistake as well.
 */
const EXIT_CODES = {
  /** A flag nobody defined (`--prot 80`). */
  WW_SHELL_UNKNOWN_FLAG: 2,
  /** A flag that takes a value was given none (`--port` at the end). */
  WW_SHELL_MISSING_VALUE: 2,
  /** A value a flag or its variable cannot take (`--port http`, `PORT=-1`). */
  WW_SHELL_BAD_VALUE: 2,
  /** A word that is not a flag (`serve ./site`: the app takes no positional arguments). */
  WW_SHELL_UNEXPECTED_ARGUMENT: 2,
  /** The flags are each fine, but the app cannot run with them together (`--workers 2` on a file log). */
  WW_SHELL_REFUSED: 2,
} as const;

/** The codes of {@link UsageError}. */
export type UsageErrorCode = keyof typeof EXIT_CODES;

const BRAND = Symbol.for("@wireweb/app-shell:UsageError");

/**
 * A command-line mistake. The shell prints `<app>: <message>` and the usage, and exits with
 * {@link UsageError.exitCode} (2). Throw it from an app's `check` to refuse a configuration.
 *
 * @example throw new UsageError("WW_SHELL_REFUSED", "--once serves one connection: it cannot run with --workers")
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code: UsageErrorCode;
  /** The process exit code for this mistake, from the code table. */
  readonly exitCode: number;

  constructor(code: UsageErrorCode, message: string) {
    super(message);
    this.code = code;
    this.exitCode = EXIT_CODES[code];
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for a UsageError from any copy of this package. */
  static is(value: unknown): value is UsageError {
    return typeof value === "object" && value !== null && BRAND in value;
  }
}
