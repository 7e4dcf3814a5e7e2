export { HttpError, type HttpErrorCode } from "./errors.js";
export type * from "./types.js";
