// Public surface of @wireweb/querystring: named re-exports only.
export { encode } from "./encode.js";
export { QueryStringError, type QueryStringErrorCode } from "./errors.js";
export { parse } from "./parse.js";
export { DEFAULT_MAX_FIELDS, type ParseQsOptions, parseQs, parseQsl } from "./parse-qs.js";
