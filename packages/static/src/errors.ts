/**
 * Every code {@link StaticError} carries, and the HTTP status it stands for. The constructor
 * looks the status up here, so no call site picks one.
 */
const STATUS = {
  /** The root given to `createStaticHandler` is missing, not a directory, or not readable. */
  WW_STATIC_BAD_ROOT: 500,
  /** A file or folder below the root exists but this process may not read it (EACCES, EPERM). */
  WW_STATIC_UNREADABLE: 403,
  /** A file got shorter while it was being sent, after its length was promised. */
  WW_STATIC_FILE_CHANGED: 500,
  /** Any other failure of the file system (EIO, EMFILE, …). */
  WW_STATIC_IO: 500,
} as const;

/** Stable codes of {@link StaticError}; branch on these, never on the message. */
export type StaticErrorCode = keyof typeof STATUS;

/** The status each code answers with (see the catalog in the README). */
export const STATIC_ERROR_STATUS: Readonly<Record<StaticErrorCode, number>> = STATUS;

/** Global, so that two copies of this package (two versions, or a bundle) share the brand. */
const BRAND: unique symbol = Symbol.for("@wireweb/static:StaticError");

/** What a StaticError may carry besides its code and message. */
export interface StaticErrorOptions extends ErrorOptions {
  /** The file system path involved. */
  path?: string;
}

/**
 * A failure reading the files being served. Requests never throw it at a client: the handler
 * answers `status` and reports the error through the `onError` option, so an operator learns
 * why a file is refused (issue 16: "an unreadable file is a 404 with nothing logged").
 *
 * Test an error with {@link StaticError.is} or by its `code`: both work across duplicate copies
 * of the package.
 *
 * @example
 * createStaticHandler("./site", {
 *   onError: (error) => console.error(`${error.code}: ${error.message}`),
 * });
 */
export class StaticError extends Error {
  override readonly name = "StaticError";
  /** Stable machine-readable reason. */
  readonly code: StaticErrorCode;
  /** The HTTP status this failure is answered with. */
  readonly status: number;
  /** The file system path involved, when there is one. */
  readonly path: string | undefined;

  constructor(code: StaticErrorCode, message: string, options?: StaticErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
    this.path = options?.path;
  }

  /** Whether `value` is a StaticError from any copy of `@wireweb/static`. */
  static is(value: unknown): value is StaticError {
    return typeof value === "object" && value !== null && (value as Branded)[BRAND] === true;
  }

  /** `instanceof` gives the same answer as {@link StaticError.is}. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return StaticError.is(value);
  }
}

interface Branded {
  [BRAND]?: unknown;
}

// On the prototype, not on each instance: it stays out of util.inspect and JSON output.
Object.defineProperty(StaticError.prototype, BRAND, { value: true });
