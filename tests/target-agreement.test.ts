/**
 * One split that apps can trust: @wireweb/http's `request.path`/`request.query` and
 * @wireweb/url's `splitTarget` must never disagree. The packages may not import each other, so
 * the check lives here, where both are in reach. The engine serves a subset of what
 * `splitTarget` recognises (origin-form, asterisk-form, absolute-form for http and https; it
 * refuses other schemes, and authority-form outside CONNECT), and on that subset the two must
 * give the same verdict and the same parts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanOriginForm, splitRequestTarget } from "../packages/http/src/target.js";
import { VECTORS } from "../packages/http/test/vectors/requests.js";
import { splitTarget } from "../packages/url/src/split-target.js";

type UrlSplit = ReturnType<typeof splitTarget>;

function urlSplit(target: string): UrlSplit | undefined {
  try {
    return splitTarget(target);
  } catch {
    return undefined;
  }
}

/** Whether the engine serves targets of this form (and so must accept what url accepts). */
function engineServes(split: UrlSplit): boolean {
  if (split.form === "origin" || split.form === "asterisk") return true;
  return split.form === "absolute" && (split.scheme === "http" || split.scheme === "https");
}

function checkAgreement(target: string): void {
  const ours = splitRequestTarget(target);
  const theirs = urlSplit(target);
  if (ours) {
    expect(theirs, `url refuses ${JSON.stringify(target)}, the engine accepts it`).toBeDefined();
    expect({ path: theirs!.path, query: theirs!.query }).toEqual({
      path: ours.path,
      query: ours.query,
    });
    expect(theirs!.authority).toBe(ours.authority);
    expect(ours.path === "*" || ours.path.startsWith("/")).toBe(true);
  } else if (theirs) {
    expect(engineServes(theirs), `engine refuses ${JSON.stringify(target)}`).toBe(false);
  }
  // The allocation-free scan the server uses for origin-form gives the same answer.
  const question = scanOriginForm(target);
  if (target.startsWith("/")) {
    expect(question === -1).toBe(ours === undefined);
    if (ours) expect(target.slice(0, question)).toBe(ours.path);
  } else {
    expect(question).toBe(-1);
  }
}

/** Request-targets of every parser vector (the request line's middle part). */
function vectorTargets(): string[] {
  const targets = new Set<string>();
  for (const vector of VECTORS) {
    for (const line of vector.input.split(/\r?\n/)) {
      const parts = line.split(" ");
      if (parts.length === 3 && /^HTTP\//.test(parts[2]!)) targets.add(parts[1]!);
    }
  }
  return [...targets];
}

const HAND_PICKED = [
  "/",
  "/a/b?c=d?e",
  "/a?",
  "/%2e%2e/x",
  '/a"b',
  "/a{b}",
  "/a<b>",
  "/a`b",
  "/a|b^c[d]\\e",
  "/q?x={}`|'\"<>",
  "*",
  "**",
  "a:b/../x",
  "http://a.example",
  "http://a.example?x",
  "HTTP://A.example:8080/p",
  "https://[::1]:443/",
  "https://[::1/",
  "http://u:p@h.example/",
  "http://h.example:65536/",
  "http://h.example:/",
  "http:///x",
  "http:/x",
  "ftp://a.example/",
  "h.example:443",
  "mailto:a@b",
  "http://a b/",
  "http://a.example/é",
];

describe("engine split = @wireweb/url splitTarget", () => {
  it("agrees on hand-picked targets", () => {
    for (const target of HAND_PICKED) checkAgreement(target);
  });

  it("agrees on the request-target of every parser vector", () => {
    const targets = vectorTargets();
    expect(targets.length).toBeGreaterThan(30);
    for (const target of targets) checkAgreement(target);
  });

  it("agrees on generated targets", () => {
    const piece = fc.constantFrom(
      ..."/?:@%#[]\\^|\"<>{}`'*.-_~!$&()+,;= aZ09\u00e9".split(""),
      "http://",
      "https://",
      "ftp://",
      "//",
      "a.example",
      "[::1]",
      ":8080",
      "..",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        checkAgreement(pieces.join(""));
      }),
      { numRuns: 5000 },
    );
  });
});
