import { parseHttpDate } from "./http-date.js";

/** The validators of the selected representation (RFC 9110 §8.8). */
export interface Validators {
  /** The entity tag as sent in `ETag`, e.g. `"abc"` or `W/"abc"`. */
  etag: string;
  /** Last modification, in milliseconds since the epoch. */
  lastModified: number;
}

/** The header fields a precondition evaluation reads. */
export interface ConditionalHeaders {
  get(name: string): string | undefined;
}

/** What the preconditions say to do: serve normally, 304, or 412. */
export type PreconditionOutcome = "proceed" | "not-modified" | "precondition-failed";

/**
 * Evaluates the request's preconditions in the order of RFC 9110 §13.2.2: If-Match, then
 * If-Unmodified-Since (only without If-Match), then If-None-Match, then If-Modified-Since
 * (only for GET/HEAD and only without If-None-Match). Dates that do not parse are ignored.
 *
 * @example evaluatePreconditions("GET", headers, { etag: '"a"', lastModified }) // "not-modified"
 */
export function evaluatePreconditions(
  method: string,
  headers: ConditionalHeaders,
  validators: Validators,
): PreconditionOutcome {
  const isGetOrHead = method === "GET" || method === "HEAD";
  const ifMatch = headers.get("if-match");
  if (ifMatch !== undefined) {
    // §13.1.1: strong comparison; a weak current tag never matches a listed tag.
    if (!matchesEtagList(ifMatch, validators.etag, true)) return "precondition-failed";
  } else {
    const since = headers.get("if-unmodified-since");
    const date = since === undefined ? undefined : parseHttpDate(since);
    if (date !== undefined && wholeSeconds(validators.lastModified) > date) {
      return "precondition-failed";
    }
  }
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== undefined) {
    // §13.1.2: weak comparison.
    if (matchesEtagList(ifNoneMatch, validators.etag, false)) {
      return isGetOrHead ? "not-modified" : "precondition-failed";
    }
    return "proceed";
  }
  if (isGetOrHead) {
    const since = headers.get("if-modified-since");
    const date = since === undefined ? undefined : parseHttpDate(since);
    if (date !== undefined && wholeSeconds(validators.lastModified) <= date) return "not-modified";
  }
  return "proceed";
}

/**
 * Whether an `If-Range` value still names the current representation (RFC 9110 §13.1.5): an
 * entity tag must match by strong comparison; a date must equal Last-Modified exactly, and
 * only counts when it is a strong validator (modified at least a second before `now`).
 * When it does not match, the server sends the whole representation with 200.
 */
export function isIfRangeCurrent(ifRange: string, validators: Validators, now: number): boolean {
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) {
    return strongMatch(value, validators.etag);
  }
  const date = parseHttpDate(value);
  if (date === undefined) return false;
  const modified = wholeSeconds(validators.lastModified);
  return modified === date && now - validators.lastModified >= 1000;
}

/**
 * Whether `header` (`*` or a comma-separated list of entity tags) matches `current`.
 * Entity tags may contain commas inside their quotes, so the list is scanned, not split.
 * An unparsable list matches nothing.
 */
export function matchesEtagList(header: string, current: string, strong: boolean): boolean {
  const value = header.trim();
  if (value === "*") return true;
  for (const tag of parseEtagList(value)) {
    if (strong ? strongMatch(tag, current) : weakMatch(tag, current)) return true;
  }
  return false;
}

/** Splits `1#entity-tag` (RFC 9110 §8.8.3) into tags; stops at the first malformed element. */
export function parseEtagList(value: string): string[] {
  const tags: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && (value[i] === " " || value[i] === "\t" || value[i] === ",")) i++;
    if (i >= value.length) break;
    const start = i;
    if (value.startsWith("W/", i)) i += 2;
    if (value[i] !== '"') break;
    const close = value.indexOf('"', i + 1);
    if (close < 0) break;
    tags.push(value.slice(start, close + 1));
    i = close + 1;
  }
  return tags;
}

function opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

function strongMatch(a: string, b: string): boolean {
  return !a.startsWith("W/") && !b.startsWith("W/") && a === b;
}

function weakMatch(a: string, b: string): boolean {
  return opaque(a) === opaque(b);
}

function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
