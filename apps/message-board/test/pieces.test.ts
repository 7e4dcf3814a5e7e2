import { describe, expect, it } from "vitest";
import { BoardError } from "../src/errors.js";
import {
  isJsonMediaType,
  mediaTypeOf,
  normalizeMessage,
  parseFormSubmission,
  parseJsonSubmission,
} from "../src/forms.js";
import { checkOrigin } from "../src/origin-check.js";
import { parsePageQuery } from "../src/query.js";
import { formatSseEvent, formatStoreEvent } from "../src/sse.js";
import { createTimeFormatter, isValidTimeZone, timeZoneFromEnv } from "../src/time-format.js";
import { cleanUp, startBoard } from "./helpers.js";

const bytes = (text: string) => new TextEncoder().encode(text);

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof BoardError) return `${error.code} ${error.status}`;
    throw error;
  }
  return undefined;
}

describe("time formatting", () => {
  const iso = "2026-11-23T19:58:36.123Z";
  it.each([
    ["UTC", "Mon 23 Nov 2026, 19:58:36 UTC"],
    ["Europe/Berlin", "Mon 23 Nov 2026, 20:58:36 CET"],
    ["America/New_York", "Mon 23 Nov 2026, 14:58:36 EST"],
    ["Asia/Kolkata", "Tue 24 Nov 2026, 01:28:36 GMT+5:30"],
    ["Europe/London", "Mon 23 Nov 2026, 19:58:36 GMT"],
  ])("shows the time in %s with the zone's abbreviation", (zone, expected) => {
    expect(createTimeFormatter(zone).format(iso)).toBe(expected);
  });

  it("shows summer time across a DST change", () => {
    expect(createTimeFormatter("Europe/Berlin").format("2026-07-01T12:00:00.000Z")).toBe(
      "Wed 1 Jul 2026, 14:00:00 CEST",
    );
  });

  it("refuses unknown zones", () => {
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(() => createTimeFormatter("Nowhere/Else")).toThrow(RangeError);
  });

  it("passes through text that is not a date", () => {
    expect(createTimeFormatter("UTC").format("not a date")).toBe("not a date");
  });

  it.each([
    ["europe/berlin", "Europe/Berlin"],
    ["EST", "America/Panama"],
    ["utc", "UTC"],
  ])("names %s by its canonical spelling, %s (issue 16)", (typed, shown) => {
    expect(createTimeFormatter(typed).timeZone).toBe(shown);
  });
});

describe("timeZoneFromEnv (issue 16: a bad TZ falls back to UTC with a warning)", () => {
  const links: Record<string, string> = {
    "/etc/localtime": "/usr/share/zoneinfo/Europe/Berlin",
    "/etc/weird": "/opt/not-a-zone",
  };
  const resolveLink = (path: string) => {
    const target = links[path];
    if (target === undefined) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    return target;
  };
  const warned = (reason: string) =>
    `${reason}; showing times in UTC (set --tz, e.g. --tz Europe/Berlin)`;
  it.each([
    [":/etc/localtime", { timeZone: "Europe/Berlin" }],
    ["/etc/localtime", { timeZone: "Europe/Berlin" }],
    [":Europe/Berlin", { timeZone: "Europe/Berlin" }],
    ["europe/berlin", { timeZone: "Europe/Berlin" }],
    ["Asia/Tokyo", { timeZone: "Asia/Tokyo" }],
    [
      "Europe/Berlinn",
      {
        timeZone: "UTC",
        warning: warned('TZ="Europe/Berlinn" is not a time zone this runtime knows'),
      },
    ],
    ["", { timeZone: "UTC", warning: warned("TZ is set but empty") }],
    [
      "CET-1CEST",
      { timeZone: "UTC", warning: warned('TZ="CET-1CEST" is not a time zone this runtime knows') },
    ],
    [
      ":/etc/missing",
      {
        timeZone: "UTC",
        warning: warned('TZ=":/etc/missing" is not a time zone this runtime knows'),
      },
    ],
    [
      ":/etc/weird",
      {
        timeZone: "UTC",
        warning: warned('TZ=":/etc/weird" is not a time zone this runtime knows'),
      },
    ],
  ])("TZ=%j", (tz, choice) => {
    expect(timeZoneFromEnv(tz, resolveLink)).toEqual(choice);
  });

  it("reads this machine's /etc/localtime through the real file system", () => {
    const choice = timeZoneFromEnv(":/etc/localtime");
    expect(isValidTimeZone(choice.timeZone)).toBe(true);
  });

  it("serves the board in UTC, never 'undefined' nor 500, when TZ names no zone", async () => {
    const saved = process.env.TZ;
    try {
      for (const tz of [":/etc/nonexistent", "Europe/Berlinn", ""]) {
        process.env.TZ = tz;
        const { url } = await startBoard({ timeZone: undefined });
        const response = await fetch(`${url}/`);
        expect(response.status).toBe(200);
        const html = await response.text();
        expect(html).toContain("Times are shown in UTC.");
        expect(html).not.toContain("undefined");
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
      await cleanUp();
    }
  });
});

describe("checkOrigin (Go 1.25 CrossOriginProtection rule)", () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ["GET", { "sec-fetch-site": "cross-site" }, true],
    ["HEAD", { origin: "https://evil.example" }, true],
    ["OPTIONS", { "sec-fetch-site": "cross-site" }, true],
    ["POST", {}, true],
    ["POST", { "sec-fetch-site": "same-origin" }, true],
    ["POST", { "sec-fetch-site": "none" }, true],
    ["POST", { "sec-fetch-site": "same-site", host: "localhost:8080" }, false],
    ["POST", { "sec-fetch-site": "cross-site" }, false],
    // Sec-Fetch-Site decides when present, even if Origin looks right.
    [
      "POST",
      { "sec-fetch-site": "cross-site", origin: "http://localhost:8080", host: "localhost:8080" },
      false,
    ],
    ["POST", { origin: "http://localhost:8080", host: "localhost:8080" }, true],
    ["POST", { origin: "http://LOCALHOST:8080", host: "localhost:8080" }, true],
    ["POST", { origin: "http://example.com", host: "example.com:80" }, true],
    ["POST", { origin: "https://example.com", host: "example.com" }, true],
    ["POST", { origin: "http://localhost:8081", host: "localhost:8080" }, false],
    ["POST", { origin: "http://evil.example", host: "localhost:8080" }, false],
    ["POST", { origin: "null", host: "localhost:8080" }, false],
    ["POST", { origin: "file://", host: "localhost:8080" }, false],
    ["DELETE", { origin: "http://evil.example", host: "localhost:8080" }, false],
    ["PUT", { "sec-fetch-site": "cross-site" }, false],
  ];
  it.each(cases)("%s with %j → allowed %s", (method, headers, allowed) => {
    const verdict = checkOrigin(method, (name) => headers[name]);
    expect(verdict.allowed).toBe(allowed);
    if (!verdict.allowed) expect(verdict.reason.length).toBeGreaterThan(0);
  });
});

describe("form and JSON submissions", () => {
  it.each([
    ["message=Hello+world", { text: "Hello world", clear: false }],
    ["message=a%0D%0Ab", { text: "a\r\nb", clear: false }],
    ["message=", { text: "", clear: false }],
    ["", { text: "", clear: false }],
    ["clear=1", { text: "", clear: "ask" }],
    ["clear=ask", { text: "", clear: "ask" }],
    ["clear=", { text: "", clear: "ask" }],
    ["clear", { text: "", clear: "ask" }],
    ["clear=confirm", { text: "", clear: "confirm" }],
    ["clear=confirm&clear=ask", { text: "", clear: "confirm" }],
    ["message=first&message=second", { text: "first", clear: false }],
    ["text=via+text", { text: "via text", clear: false }],
    ["message=%E2%9C%93%F0%9F%98%80", { text: "✓😀", clear: false }],
  ])("form %j", (body, expected) => {
    expect(parseFormSubmission(bytes(body))).toEqual(expected);
  });

  it("refuses a form with too many fields", () => {
    expect(codeOf(() => parseFormSubmission(bytes("a=1&".repeat(100))))).toBe(
      "ERR_INVALID_FORM 400",
    );
  });

  it.each([
    ['{"text":"hi"}', "hi"],
    ['{"message":"hi"}', "hi"],
    ['{"text":"a\\nb","other":1}', "a\nb"],
  ])("JSON %s", (body, text) => {
    expect(parseJsonSubmission(bytes(body))).toEqual({ text, clear: false });
  });

  it.each(['{"text":1}', "[]", "null", '"hi"', "{", "", '{"other":"x"}'])(
    "refuses JSON %j",
    (body) => {
      expect(codeOf(() => parseJsonSubmission(bytes(body)))).toBe("ERR_INVALID_JSON 400");
    },
  );

  it("refuses JSON that is not UTF-8", () => {
    const body = new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    expect(codeOf(() => parseJsonSubmission(body))).toBe("ERR_INVALID_JSON 400");
  });

  it.each([
    ["application/x-www-form-urlencoded; charset=UTF-8", "application/x-www-form-urlencoded"],
    [" Application/JSON ", "application/json"],
    [undefined, ""],
  ])("media type of %j", (header, type) => {
    expect(mediaTypeOf(header)).toBe(type);
  });

  it("recognises JSON media types", () => {
    expect(isJsonMediaType("application/json")).toBe(true);
    expect(isJsonMediaType("application/merge-patch+json")).toBe(true);
    expect(isJsonMediaType("text/json")).toBe(false);
    expect(isJsonMediaType("application/x-www-form-urlencoded")).toBe(false);
  });
});

describe("normalizeMessage", () => {
  it.each([
    ["one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour"],
    ["  indented\n\n  kept  ", "  indented\n\n  kept  "],
    ["lone \uD800 surrogate", "lone \uFFFD surrogate"],
    ["pair 😀 kept", "pair 😀 kept"],
  ])("normalizes %j", (input, expected) => {
    expect(normalizeMessage(input, 4096)).toBe(expected);
  });

  it.each(["", " ", "\r\n\t ", "\u00a0\u2003"])("refuses whitespace-only %j", (text) => {
    expect(codeOf(() => normalizeMessage(text, 4096))).toBe("ERR_EMPTY_MESSAGE 400");
  });

  it("counts the limit in UTF-8 bytes", () => {
    expect(normalizeMessage("é".repeat(5), 10)).toBe("é".repeat(5));
    expect(codeOf(() => normalizeMessage("é".repeat(6), 10))).toBe("ERR_MESSAGE_TOO_LARGE 413");
    expect(codeOf(() => normalizeMessage("x".repeat(4097), 4096))).toBe(
      "ERR_MESSAGE_TOO_LARGE 413",
    );
  });
});

describe("parsePageQuery", () => {
  it.each([
    ["", {}],
    ["limit=5", { limit: 5 }],
    ["limit=100000&before=42", { limit: 100000, before: "42" }],
    ["after=7&other=x", { after: "7" }],
    ["before=%34%32", { before: "42" }],
  ])("%j", (query, expected) => {
    expect(parsePageQuery(query, 100_000)).toEqual(expected);
  });

  it.each([
    ["limit=0", "ERR_INVALID_LIMIT 400"],
    ["limit=100001", "ERR_INVALID_LIMIT 400"],
    ["limit=-1", "ERR_INVALID_LIMIT 400"],
    ["limit=1.5", "ERR_INVALID_LIMIT 400"],
    ["limit=", "ERR_INVALID_LIMIT 400"],
    ["before=1&after=2", "ERR_INVALID_CURSOR 400"],
    ["before=", "ERR_INVALID_CURSOR 400"],
  ])("refuses %j", (query, code) => {
    expect(codeOf(() => parsePageQuery(query, 100_000))).toBe(code);
  });
});

describe("SSE framing", () => {
  it.each([
    [{ data: "x" }, "data: x\n\n"],
    [{ id: "7", data: "a\nb" }, "id: 7\ndata: a\ndata: b\n\n"],
    [{ id: "8", event: "clear", data: "" }, "id: 8\nevent: clear\ndata: \n\n"],
    [{ data: "a\r\nb\rc" }, "data: a\ndata: b\ndata: c\n\n"],
  ])("%j", (event, frame) => {
    expect(formatSseEvent(event)).toBe(frame);
  });

  it.each(["1\n2", "1\r", "1\0"])("refuses an id with a line break or NUL: %j", (id) => {
    expect(() => formatSseEvent({ id, data: "" })).toThrow(TypeError);
  });

  it("sends a message as one JSON data line with its cursor as id", () => {
    const message = { id: "3", text: "two\nlines </script>", postedAt: "2026-11-23T19:58:36.123Z" };
    const frame = formatStoreEvent({ type: "message", id: "3", message });
    expect(frame).toBe(`id: 3\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
    expect(frame.split("\n").filter((line) => line.startsWith("data:"))).toHaveLength(1);
  });

  it("sends a clear as a clear event", () => {
    expect(formatStoreEvent({ type: "clear", id: "9" })).toBe(
      'id: 9\nevent: clear\ndata: {"id":"9"}\n\n',
    );
  });
});
