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

const BRAND = Symbol.for("@wireweb/static:StaticError");

/**
 * A failure reading the files being served. Requests never throw it at a client: the handler
 * answers `status` and reports the error through the `onError` option, so an operator learns
 * why a file is refused (issue 16: "an unreadable file is a 404 with nothing logged").
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

  constructor(code: StaticErrorCode, message: string, path?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
    this.path = path;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Whether `value` is a StaticError, from this copy of the package or any other. */
  static is(value: unknown): value is StaticError {
    return typeof value === "object" && value !== null && BRAND in value;
  }
}

/** The status of every code, for docs and tests. */
export const STATIC_ERROR_STATUS: Readonly<Record<StaticErrorCode, number>> = STATUS;
