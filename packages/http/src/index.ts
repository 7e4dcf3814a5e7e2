export {
  BaseHTTPRequestHandler,
  type HandlerClass,
  HTTPServer,
  handlerFromClass,
  type RFile,
  type WFile,
} from "./base-handler.js";
export { type CookieOptions, parseCookies, serializeCookie } from "./cookie.js";
export { HttpError, type HttpErrorCode } from "./errors.js";
export {
  createFetchServer,
  type FetchAdapterOptions,
  type FetchHandler,
  type FetchInfo,
  type FetchServerOptions,
  toHandler,
} from "./fetch-adapter.js";
export { toIncomingMessage } from "./node-compat.js";
export {
  DEFAULT_PARSER_LIMITS,
  type ParserCallbacks,
  type ParserOptions,
  RequestParser,
} from "./request-parser.js";
export {
  createServer,
  DEFAULT_LIMITS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MIN_DATA_RATE,
  DEFAULT_TIMEOUTS,
} from "./server.js";
export { STATUS_CODES, statusText } from "./status-codes.js";
export type * from "./types.js";
