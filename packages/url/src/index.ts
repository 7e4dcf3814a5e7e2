// Public surface of @wireweb/url: named re-exports only.

export { breakdownUrl, type UrlBreakdown } from "./breakdown-url.js";
export { decodePath } from "./decode-path.js";
export { UrlError, type UrlErrorCode } from "./errors.js";
export { removeDotSegments } from "./remove-dot-segments.js";
export { hasDotSegment, resolveSafePath } from "./resolve-safe-path.js";
export { type SliceIndices, slice, sliceIndices } from "./slice.js";
export { type SplitTarget, splitTarget, type TargetForm } from "./split-target.js";
