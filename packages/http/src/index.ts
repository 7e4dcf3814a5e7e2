export { HttpError, type HttpErrorCode } from "./errors.ts";
export type * from "./types.ts";
