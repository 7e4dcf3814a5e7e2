import { describe, expect, it } from "vitest";
import {
  evaluatePreconditions,
  isIfRangeCurrent,
  matchesEtagList,
  parseEtagList,
  type Validators,
} from "../src/conditional.js";
import { etagFor, isFreshWrite } from "../src/etag.js";
import { formatHttpDate, parseHttpDate } from "../src/http-date.js";

const MODIFIED = Date.UTC(2026, 10, 20, 12, 0, 0, 250); // .25 s past the whole second
const validators: Validators = { etag: '"abc"', lastModified: MODIFIED };
const headers = (fields: Record<string, string>) => ({
  get: (name: string) => fields[name.toLowerCase()],
});
const BEFORE = formatHttpDate(MODIFIED - 60_000);
const SAME = formatHttpDate(MODIFIED);
const AFTER = formatHttpDate(MODIFIED + 60_000);

describe("evaluatePreconditions (RFC 9110 §13.2.2)", () => {
  const cases: [string, string, Record<string, string>, string][] = [
    ["no preconditions", "GET", {}, "proceed"],
    ["If-None-Match exact", "GET", { "if-none-match": '"abc"' }, "not-modified"],
    ["If-None-Match in a list", "GET", { "if-none-match": '"x", "abc"' }, "not-modified"],
    ["If-None-Match weak compare", "GET", { "if-none-match": 'W/"abc"' }, "not-modified"],
    ["If-None-Match *", "HEAD", { "if-none-match": "*" }, "not-modified"],
    ["If-None-Match other", "GET", { "if-none-match": '"other"' }, "proceed"],
    ["If-None-Match unquoted junk", "GET", { "if-none-match": "abc" }, "proceed"],
    ["If-Modified-Since same second", "GET", { "if-modified-since": SAME }, "not-modified"],
    ["If-Modified-Since later", "GET", { "if-modified-since": AFTER }, "not-modified"],
    ["If-Modified-Since earlier", "GET", { "if-modified-since": BEFORE }, "proceed"],
    [
      "If-Modified-Since invalid date ignored",
      "GET",
      { "if-modified-since": "yesterday" },
      "proceed",
    ],
    [
      "If-None-Match wins over If-Modified-Since (no match)",
      "GET",
      { "if-none-match": '"other"', "if-modified-since": AFTER },
      "proceed",
    ],
    [
      "If-None-Match wins over If-Modified-Since (match)",
      "GET",
      { "if-none-match": '"abc"', "if-modified-since": BEFORE },
      "not-modified",
    ],
    ["If-Match matches", "GET", { "if-match": '"abc"' }, "proceed"],
    ["If-Match *", "GET", { "if-match": "*" }, "proceed"],
    ["If-Match other", "GET", { "if-match": '"x"' }, "precondition-failed"],
    ["If-Match needs strong compare", "GET", { "if-match": 'W/"abc"' }, "precondition-failed"],
    [
      "If-Unmodified-Since earlier",
      "GET",
      { "if-unmodified-since": BEFORE },
      "precondition-failed",
    ],
    ["If-Unmodified-Since same", "GET", { "if-unmodified-since": SAME }, "proceed"],
    [
      "If-Match wins over If-Unmodified-Since",
      "GET",
      { "if-match": '"abc"', "if-unmodified-since": BEFORE },
      "proceed",
    ],
    ["If-Modified-Since only for GET/HEAD", "DELETE", { "if-modified-since": AFTER }, "proceed"],
    [
      "If-None-Match on other methods → 412",
      "PUT",
      { "if-none-match": "*" },
      "precondition-failed",
    ],
  ];
  it.each(cases)("%s", (_, method, fields, expected) => {
    expect(evaluatePreconditions(method, headers(fields), validators)).toBe(expected);
  });

  it("a weak current tag still matches If-None-Match but never If-Match", () => {
    const weak = { ...validators, etag: 'W/"abc"' };
    expect(evaluatePreconditions("GET", headers({ "if-none-match": '"abc"' }), weak)).toBe(
      "not-modified",
    );
    expect(evaluatePreconditions("GET", headers({ "if-match": '"abc"' }), weak)).toBe(
      "precondition-failed",
    );
  });
});

describe("isIfRangeCurrent (RFC 9110 §13.1.5)", () => {
  const now = MODIFIED + 3_600_000;
  it.each([
    ['"abc"', true],
    ['"abd"', false],
    ['W/"abc"', false],
    [SAME, true],
    [AFTER, false],
    [BEFORE, false],
    ["not a date", false],
  ])("%s → %s", (value, expected) => {
    expect(isIfRangeCurrent(value, validators, now)).toBe(expected);
  });

  it("a date is no strong validator within a second of the write", () => {
    expect(isIfRangeCurrent(SAME, validators, MODIFIED + 500)).toBe(false);
  });

  it("a weak current tag never satisfies If-Range", () => {
    expect(isIfRangeCurrent('W/"abc"', { ...validators, etag: 'W/"abc"' }, now)).toBe(false);
  });
});

describe("entity-tag lists", () => {
  it("keeps commas inside quoted tags", () => {
    expect(parseEtagList('"a,b", W/"c" ,"d"')).toEqual(['"a,b"', 'W/"c"', '"d"']);
    expect(matchesEtagList('"x", "a,b"', '"a,b"', true)).toBe(true);
  });
  it("stops at a malformed element", () => {
    expect(parseEtagList('"a", b, "c"')).toEqual(['"a"']);
    expect(parseEtagList('"unterminated')).toEqual([]);
  });
});

describe("HTTP dates (RFC 9110 §5.6.7)", () => {
  const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
  it.each([
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
  ])("parses %s", (text) => {
    expect(parseHttpDate(text)).toBe(expected);
  });
  it.each([
    "Sun, 06 Nov 1994 08:49:37 UTC",
    "Sun, 6 Nov 1994 08:49:37 GMT",
    "Sun, 31 Feb 1994 08:49:37 GMT",
    "Sun, 06 Foo 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 24:00:00 GMT",
    "1994-11-06T08:49:37Z",
    "",
  ])("rejects %j", (text) => {
    expect(parseHttpDate(text)).toBeUndefined();
  });
  it("formats IMF-fixdate and round-trips", () => {
    expect(formatHttpDate(expected + 999)).toBe("Sun, 06 Nov 1994 08:49:37 GMT");
    expect(parseHttpDate(formatHttpDate(MODIFIED))).toBe(Math.floor(MODIFIED / 1000) * 1000);
  });
});

describe("etagFor", () => {
  const stat = { size: 1024, mtimeMs: MODIFIED };
  it("is strong, and differs per encoding, size and mtime", () => {
    const now = MODIFIED + 5000;
    const tags = new Set([
      etagFor(stat, "identity", now),
      etagFor(stat, "br", now),
      etagFor(stat, "gzip", now),
      etagFor({ ...stat, size: 1025 }, "identity", now),
      etagFor({ ...stat, mtimeMs: MODIFIED + 0.001 }, "identity", now),
    ]);
    expect(tags.size).toBe(5);
    for (const tag of tags) expect(tag).toMatch(/^"[0-9a-z-]+"$/);
  });
  it("is weak while the write is less than a second old", () => {
    expect(isFreshWrite(stat, MODIFIED + 999)).toBe(true);
    expect(etagFor(stat, "identity", MODIFIED + 10)).toMatch(/^W\/"/);
    expect(etagFor(stat, "identity", MODIFIED + 1000)).toMatch(/^"/);
  });
});
