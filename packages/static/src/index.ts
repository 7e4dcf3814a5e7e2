// Public surface of @wireweb/static: named re-exports only.

export { acceptedEncodings } from "./accept-encoding.js";
export { type AccessRecord, formatAccessLog } from "./access-log.js";
export {
  type ConditionalHeaders,
  evaluatePreconditions,
  isIfRangeCurrent,
  type PreconditionOutcome,
  type Validators,
} from "./conditional.js";
export { contentTypeFor } from "./content-type.js";
export {
  STATIC_ERROR_STATUS,
  StaticError,
  type StaticErrorCode,
  type StaticErrorOptions,
} from "./errors.js";
export { formatHttpDate, parseHttpDate } from "./http-date.js";
export type { DotfilePolicy, StaticOptions } from "./options.js";
export { type ByteRange, parseRange, type RangeOptions, type RangeRequest } from "./range.js";
export { createStaticHandler } from "./static-handler.js";
