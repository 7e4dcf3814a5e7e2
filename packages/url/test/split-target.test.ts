import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitTarget, UrlError } from "../src/index.js";

describe("splitTarget", () => {
  it.each([
    ["/", { form: "origin", path: "/", query: "" }],
    ["/index.html", { form: "origin", path: "/index.html", query: "" }],
    [
      "/board/thread?id=42&page=2",
      { form: "origin", path: "/board/thread", query: "id=42&page=2" },
    ],
    ["/a?", { form: "origin", path: "/a", query: "" }],
    ["/a?b?c=/d", { form: "origin", path: "/a", query: "b?c=/d" }],
    ["/%2e%2e/x%20y", { form: "origin", path: "/%2e%2e/x%20y", query: "" }],
    ["/a[1]|^b", { form: "origin", path: "/a[1]|^b", query: "" }],
    ["/q?x={}`|'\"<>", { form: "origin", path: "/q", query: "x={}`|'\"<>" }],
    ["*", { form: "asterisk", path: "*", query: "" }],
    [
      "http://example.com/a/b.txt",
      { form: "absolute", path: "/a/b.txt", query: "", authority: "example.com", scheme: "http" },
    ],
    [
      "HTTP://Example.com:8080?x=1",
      { form: "absolute", path: "/", query: "x=1", authority: "Example.com:8080", scheme: "http" },
    ],
    [
      "https://[::1]:443/",
      { form: "absolute", path: "/", query: "", authority: "[::1]:443", scheme: "https" },
    ],
    ["example.com:443", { form: "authority", path: "", query: "", authority: "example.com:443" }],
    [
      "[2001:db8::1]:8443",
      { form: "authority", path: "", query: "", authority: "[2001:db8::1]:8443" },
    ],
    ["127.0.0.1:80", { form: "authority", path: "", query: "", authority: "127.0.0.1:80" }],
  ])("%s", (target, expected) => {
    expect(splitTarget(target)).toEqual(expected);
  });

  it.each([
    ["", "empty"],
    ["/a#b", "fragment in path"],
    ["/a?b#c", "fragment in query"],
    ["/a b", "space"],
    ["/a\tb", "tab"],
    ["/a\u0000", "NUL"],
    ["/a\u007f", "DEL"],
    ["/caf\u00e9", "raw non-ASCII in path"],
    ["/q?caf\u00e9", "raw non-ASCII in query"],
    ["/a<b", "< in path"],
    ['/a"b', '" in path'],
    ["/a{b}", "braces in path"],
    ["/a`b", "backtick in path"],
    ["/a?b c", "space in query"],
    ["index.html", "relative"],
    ["example.com", "authority without port"],
    ["example.com:", "authority with empty port"],
    ["example.com:99999", "port out of range"],
    ["example.com:8x", "port not digits"],
    [":80", "empty host"],
    ["user@example.com:80", "userinfo in authority-form"],
    ["http://user:pw@example.com/", "userinfo in absolute-form"],
    ["http:///path", "empty authority"],
    ["http://exa mple.com/", "space in authority"],
    ["http://[::1/", "unbalanced bracket"],
    ["http://ex]ample.com/", "stray bracket"],
    ["1http://x/", "scheme starting with a digit"],
    ["**", "not asterisk-form"],
  ])("refuses %j (%s)", (target) => {
    let error: unknown;
    try {
      splitTarget(target);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UrlError);
    expect((error as UrlError).code).toBe("WW_URL_INVALID_TARGET");
    expect((error as UrlError).status).toBe(400);
  });

  it("throws TypeError for a non-string", () => {
    expect(() => splitTarget(undefined as unknown as string)).toThrow(TypeError);
  });
});

describe("splitTarget (property)", () => {
  const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 1000);
  const pathText = fc.stringMatching(/^(\/[A-Za-z0-9._~!$&'()*+,;=:@%[\]^|-]{0,8}){1,5}$/);
  const queryText = fc.stringMatching(/^[\x21-\x22\x24-\x7e]{0,20}$/);

  it("splits origin-form at the first '?' and gives back exactly what was sent", () => {
    fc.assert(
      fc.property(pathText, fc.option(queryText, { nil: undefined }), (path, query) => {
        const target = query === undefined ? path : `${path}?${query}`;
        expect(splitTarget(target)).toEqual({ form: "origin", path, query: query ?? "" });
      }),
      { numRuns: RUNS },
    );
  });

  it("refuses any target with a control, space, '#' or non-ASCII character", () => {
    const bad = fc.constantFrom(" ", "\t", "\r", "\n", "\u0000", "\u007f", "#", "é", "\u{1F600}");
    fc.assert(
      fc.property(pathText, queryText, bad, fc.nat(), (path, query, char, at) => {
        const target = `${path}?${query}`;
        const i = 1 + (at % target.length);
        expect(() => splitTarget(target.slice(0, i) + char + target.slice(i))).toThrow(UrlError);
      }),
      { numRuns: RUNS },
    );
  });
});
