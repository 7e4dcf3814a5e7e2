/** One satisfiable byte range, both ends inclusive (RFC 9110 §14.1.2). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What a `Range` header asks for, after RFC 9110 §14:
 * - `ignore`: no usable Range (absent, another unit, bad syntax, too many parts): send 200.
 * - `unsatisfiable`: no range overlaps the representation: send 416 with `bytes *\/size`.
 * - `ranges`: one or more satisfiable ranges, sorted and coalesced.
 */
export type RangeRequest =
  | { kind: "ignore" }
  | { kind: "unsatisfiable" }
  | { kind: "ranges"; ranges: ByteRange[] };

/** Bounds that keep a hostile Range header cheap. */
export interface RangeOptions {
  /** More range-specs than this in one header and the header is ignored. Default 100. */
  maxSpecs?: number;
  /** More ranges than this after coalescing and the whole file is sent. Default 16. */
  maxRanges?: number;
}

const IGNORE: RangeRequest = { kind: "ignore" };
const UNSATISFIABLE: RangeRequest = { kind: "unsatisfiable" };
// Digits beyond this many cannot be an exact safe integer; such positions are treated as
// "past any real file", which clamps a last-pos and makes a first-pos unsatisfiable.
const MAX_DIGITS = 15;

/**
 * Parses a `Range` header against a representation of `size` bytes (RFC 9110 §14.1-§14.2).
 * Never throws: `bytes=5-2`, `bytes=x`, overflowing numbers and other junk are ignored (200),
 * as §14.2 allows, instead of crashing (sirv) or guessing. `0-0` is the first byte; `-0` is
 * unsatisfiable; `-N` is the last N bytes (the whole file if N >= size); `N-` runs to the end.
 * Overlapping and adjacent ranges are merged (§14.6 allows it); if that still leaves more than
 * `maxRanges`, or the ranges would add up to more than the file, the Range is ignored, as
 * nginx does, so multipart replies stay cheap.
 * A zero-length file has no byte to name, so a Range on it is ignored.
 *
 * @example parseRange("bytes=0-4", 11) // { kind: "ranges", ranges: [{ start: 0, end: 4 }] }
 * @example parseRange("bytes=-3", 11) // { kind: "ranges", ranges: [{ start: 8, end: 10 }] }
 * @example parseRange("bytes=20-", 11) // { kind: "unsatisfiable" }
 */
export function parseRange(header: string, size: number, options: RangeOptions = {}): RangeRequest {
  const { maxSpecs = 100, maxRanges = 16 } = options;
  const eq = header.indexOf("=");
  if (eq < 0 || header.slice(0, eq).trim().toLowerCase() !== "bytes") return IGNORE;
  if (size === 0) return IGNORE;
  const specs = header.slice(eq + 1).split(",");
  if (specs.length > maxSpecs) return IGNORE;
  const ranges: ByteRange[] = [];
  let requested = 0;
  let sawSpec = false;
  for (const raw of specs) {
    const spec = raw.trim();
    // RFC 9110 §5.6.1: empty list elements are allowed and ignored.
    if (spec === "") continue;
    sawSpec = true;
    const range = parseSpec(spec, size);
    if (range === undefined) return IGNORE;
    if (range === null) continue;
    requested += range.end - range.start + 1;
    ranges.push(range);
  }
  if (!sawSpec) return IGNORE;
  if (ranges.length === 0) return UNSATISFIABLE;
  const merged = coalesce(ranges);
  if (merged.length > maxRanges) return IGNORE;
  if (merged.length > 1 && requested > size) return IGNORE;
  return { kind: "ranges", ranges: merged };
}

/** A range, `null` when it is valid but unsatisfiable, `undefined` when it is malformed. */
function parseSpec(spec: string, size: number): ByteRange | null | undefined {
  const dash = spec.indexOf("-");
  if (dash < 0) return undefined;
  const first = spec.slice(0, dash);
  const last = spec.slice(dash + 1);
  if (first === "") {
    const suffix = parseDigits(last);
    if (suffix === undefined) return undefined;
    if (suffix === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = parseDigits(first);
  if (start === undefined) return undefined;
  if (last === "") return start < size ? { start, end: size - 1 } : null;
  const end = parseDigits(last);
  if (end === undefined || end < start) return undefined;
  return start < size ? { start, end: Math.min(end, size - 1) } : null;
}

/** 1*DIGIT as a number, `Infinity` when it is too long to be exact, else `undefined`. */
function parseDigits(text: string): number | undefined {
  if (text.length === 0) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined; // "0".."9"
  }
  const significant = text.replace(/^0+/, "");
  return significant.length > MAX_DIGITS ? Number.POSITIVE_INFINITY : Number(text);
}

function coalesce(ranges: ByteRange[]): ByteRange[] {
  if (ranges.length === 1) return ranges;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [{ ...sorted[0]! }];
  for (const range of sorted.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (range.start <= last.end + 1) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** The `Content-Range` value for a partial response (RFC 9110 §14.4). */
export function formatContentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}
