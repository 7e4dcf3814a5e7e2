import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastBreakdown } from "../src/breakdown-url.js";
import { breakdownUrl, UrlError } from "../src/index.js";

const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 3000);
const DEFAULTS: Record<string, number> = { "http:": 80, "https:": 443, "ws:": 80, "wss:": 443 };

/** Node's WHATWG URL, reshaped: the oracle. */
function oracle(input: string) {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return "WW_URL_INVALID_URL";
  }
  const port = DEFAULTS[url.protocol];
  if (port === undefined) return "WW_URL_UNSUPPORTED_SCHEME";
  return {
    protocol: url.protocol,
    host: url.hostname,
    port: url.port === "" ? port : Number(url.port),
    path: url.pathname,
    query: url.search.slice(1),
    fragment: url.hash.slice(1),
  };
}

function ours(input: string) {
  try {
    return breakdownUrl(input);
  } catch (error) {
    if (UrlError.is(error)) return error.code;
    throw error;
  }
}

describe("breakdownUrl", () => {
  it("gives the chapter's breakdown with default ports filled in", () => {
    expect(breakdownUrl("http://example.com:8080/board?page=2")).toEqual({
      protocol: "http:",
      host: "example.com",
      port: 8080,
      path: "/board",
      query: "page=2",
      fragment: "",
    });
    expect(breakdownUrl("https://Example.COM/index.html#top")).toEqual({
      protocol: "https:",
      host: "example.com",
      port: 443,
      path: "/index.html",
      query: "",
      fragment: "top",
    });
    expect(breakdownUrl("ws://h").port).toBe(80);
    expect(breakdownUrl("wss://h:443").port).toBe(443);
    expect(breakdownUrl("http://h:443").port).toBe(443);
  });

  it.each([
    "http://example.com/a/./b/../c?x#y",
    "http://EXAMPLE.com:00080/%2e%2E/x",
    "http://[::1]:8080/",
    "http://[0:0::1]/",
    "http://0x7f.1/",
    "http://127.1/",
    "http://4294967295/",
    "http://4294967296/",
    "http://1.2.3.4.5/",
    "http://münchen.de/ä?ö#ü",
    "http://xn--mnchen-3ya.de/",
    "http://xn--a/",
    "http:example.com/x",
    "http:\\\\example.com\\a\\b",
    "  http://example.com/\t\n  ",
    "http://user:pass@example.com/",
    "http://a b/",
    "http://a:b/",
    "http://a:65536/",
    "http://a:/",
    "http:///x",
    "http://a..b/",
    "http://a./",
    "http://a%41.com/",
    "https://ex%00ample.com/",
    "http://a/p?q='\"<>`#f'\"<>`",
    'http://a/{}|^`"<> é',
    "/relative",
    "example.com",
    "ftp://example.com/",
    "file:///etc/passwd",
    "",
  ])("agrees with new URL on %j", (input) => {
    expect(ours(input)).toEqual(oracle(input));
  });

  it("takes the fast path for plain URLs", () => {
    for (const input of [
      "http://example.com:8080/board/thread?id=42&page=2",
      "https://www.example.org/",
      "http://127.0.0.1:8080/index.html",
      "HTTP://Example.COM/a-b_c~d/e.html?q=1&r=%20#frag",
      "ws://chat.example.com/socket",
    ]) {
      expect(fastBreakdown(input), input).toEqual(oracle(input));
    }
  });

  it("throws TypeError for a non-string", () => {
    expect(() => breakdownUrl(42 as unknown as string)).toThrow(TypeError);
  });
});

const label = fc.stringMatching(/^[a-zA-Z0-9_-]{1,8}$/);
const host = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join(".")),
  },
  { weight: 2, arbitrary: fc.domain() },
  { weight: 1, arbitrary: fc.oneof(fc.ipV4(), fc.ipV4Extended()) },
  { weight: 1, arbitrary: fc.ipV6().map((address) => `[${address}]`) },
  {
    weight: 1,
    arbitrary: fc
      .array(
        fc.constantFrom(
          "a",
          "B",
          "é",
          "ß",
          "ü",
          "中",
          "ا",
          "\u200d",
          "-",
          "xn--",
          "\u{1F600}",
          "Ａ",
        ),
        {
          minLength: 1,
          maxLength: 6,
        },
      )
      .map((cs) => `${cs.join("")}.example`),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.oneof(
          fc.integer({ min: 0, max: 300 }).map(String),
          fc.constantFrom("00", "010", "0x7f", "0"),
        ),
        {
          minLength: 1,
          maxLength: 5,
        },
      )
      .map((ps) => ps.join(".")),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "[::1]",
      "[2001:db8::1]",
      "[::ffff:1.2.3.4]",
      "[::1",
      "[fe80::1%25eth0]",
      "münchen.de",
      "xn--mnchen-3ya.de",
      "xn--bad",
      "ß.example",
      "EXAMPLE.COM",
      "a..b",
      ".a",
      "a.",
      "",
      "exa mple",
      "a%41b",
      "a%zz",
      "ü.Example",
      "user@host",
      "a\\b",
      "\u0661.com",
      "xn--.com",
      "a.0x",
      "1a",
      "a.1a",
    ),
  },
);
const port = fc.oneof(
  fc.constant(""),
  fc.constantFrom(":", ":80", ":443", ":0", ":65535", ":65536", ":00080", ":b", ":999999", ":8080"),
  fc.integer({ min: 0, max: 70000 }).map((p) => `:${p}`),
);
const odd = fc.constantFrom(
  "..",
  ".",
  "%2e",
  "%2E%2e",
  ".%2e",
  "",
  "b c",
  "é",
  "\u{1F600}",
  "a\\b",
  '"',
  "<",
  ">",
  "{",
  "}",
  "^",
  "|",
  "`",
  "'",
  "%",
  "%zz",
  "%41",
  "~",
  "[",
  "]",
  "\t",
  "\n",
  "\u0000",
  "\u007f",
  "?",
  "#",
);
const segment = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9._~!$&'()*+,;=:@-]{0,6}$/),
  odd,
  fc.string({ maxLength: 4 }),
);
const path = fc
  .array(segment, { maxLength: 6 })
  .chain((segments) =>
    fc
      .constantFrom("/", "\\")
      .map((sep) => (segments.length === 0 ? "" : sep + segments.join(sep))),
  );
const part = (lead: string) =>
  fc.option(
    fc
      .array(fc.oneof(fc.stringMatching(/^[a-zA-Z0-9=&%+]{0,6}$/), odd), { maxLength: 4 })
      .map((p) => lead + p.join("")),
    { nil: "" },
  );
const url = fc
  .tuple(
    fc.constantFrom("http", "https", "ws", "wss", "HTTP", "Https", "WsS", "ftp"),
    fc.constantFrom("://", "://", "://", "://", ":/", ":", ":\\\\", ":///"),
    fc.constantFrom("", "", "", "", "u:p@", "@"),
    host,
    port,
    path,
    part("?"),
    part("#"),
    fc.constantFrom("", "", "", " ", "\t", "\u0000"),
  )
  .map(
    ([scheme, sep, user, h, p, pa, q, f, pad]) =>
      `${pad}${scheme}${sep}${user}${h}${p}${pa}${q}${f}${pad}`,
  );

// Mostly URLs the fast path should take, with now and then one character that sends it away.
const plainUrl = fc
  .tuple(
    fc.constantFrom("http", "https", "ws", "wss", "HTTP", "hTTps"),
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join(".")),
      },
      {
        weight: 1,
        arbitrary: fc
          .array(fc.integer({ min: 0, max: 260 }), { minLength: 4, maxLength: 4 })
          .map((ns) => ns.join(".")),
      },
    ),
    fc.option(
      fc.integer({ min: 0, max: 65535 }).map((p) => `:${p}`),
      { nil: "" },
    ),
    fc
      .array(fc.stringMatching(/^[a-zA-Z0-9._~!$&'()*+,;=:@%|[\]-]{0,8}$/), { maxLength: 5 })
      .map((xs) => xs.map((x) => `/${x}`).join("")),
    fc.option(
      fc.stringMatching(/^[a-zA-Z0-9._~!$&()*+,;=:@%/?{}|^`[\]-]{0,12}$/).map((q) => `?${q}`),
      { nil: "" },
    ),
    fc.option(
      fc.stringMatching(/^[a-zA-Z0-9._~!$&'()*+,;=:@%/?#{}|^[\]-]{0,8}$/).map((f) => `#${f}`),
      { nil: "" },
    ),
    fc.oneof({ weight: 4, arbitrary: fc.constant("") }, { weight: 1, arbitrary: odd }),
  )
  .chain(([scheme, h, p, pa, q, f, extra]) => {
    const base = `${scheme}://${h}${p}${pa}${q}${f}`;
    return fc
      .integer({ min: 0, max: base.length })
      .map((at) => base.slice(0, at) + extra + base.slice(at));
  });

describe("breakdownUrl against new URL (property)", () => {
  it("agrees on every field and rejects exactly what URL rejects", () => {
    fc.assert(
      fc.property(url, (input) => {
        expect(ours(input)).toEqual(oracle(input));
      }),
      { numRuns: RUNS },
    );
  });

  it("agrees on plain URLs too, and the fast path answers what URL does", () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.oneof(url, plainUrl, plainUrl), (input) => {
        const fast = fastBreakdown(input);
        if (fast !== undefined) {
          taken++;
          expect(fast).toEqual(oracle(input));
        }
        expect(ours(input)).toEqual(oracle(input));
      }),
      { numRuns: RUNS },
    );
    // Guards the test itself: most plain URLs must really exercise the fast path.
    expect(taken).toBeGreaterThan(RUNS / 4);
  });
});
