import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix, sep } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  hasDotSegment,
  resolveSafePath,
  splitTarget,
  UrlError,
  type UrlErrorCode,
} from "../src/index.js";
import vectors from "./fixtures/qs-url-paths.json" with { type: "json" };

const ROOT = join(sep, "srv", "www");
const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 2000);

interface PathVector {
  target: string;
  result: string;
  why: string;
  fs?: { root: string; symlinks: Record<string, string> };
}

/** The code a call fails with, or its result. */
function outcome(run: () => string): string {
  try {
    return run();
  } catch (error) {
    if (UrlError.is(error)) return error.code;
    throw error;
  }
}

function toRelative(resolved: string, root: string): string {
  if (resolved === root) return "";
  expect(resolved.startsWith(root + sep)).toBe(true);
  return resolved
    .slice(root.length + 1)
    .split(sep)
    .join("/");
}

/**
 * The whole policy of the vectors: splitTarget, resolveSafePath, then the dot-file rule the
 * vectors include (in wireweb that rule belongs to the file server, through hasDotSegment).
 */
function resolveVector(target: string, root: string): string {
  let split: ReturnType<typeof splitTarget>;
  try {
    split = splitTarget(target);
  } catch {
    return "reject";
  }
  if (split.form !== "origin" && split.form !== "absolute") return "reject";
  try {
    const relative = toRelative(resolveSafePath(root, split.path), root);
    return hasDotSegment(relative) ? "reject" : relative;
  } catch (error) {
    if (UrlError.is(error)) return "reject";
    throw error;
  }
}

describe("shared path-resolution vectors (test/fixtures/qs-url-paths.json)", () => {
  const cases = (vectors.cases as PathVector[]).filter((c) => c.fs === undefined);
  it.each(cases)("$target -> $result", ({ target, result }) => {
    expect(resolveVector(target, ROOT)).toBe(result);
  });

  // The symlink cases need a real file system: resolveSafePath passes them (string checks),
  // and the documented recipe (realpath, then compare with realRoot + sep) settles them.
  const fsCases = (vectors.cases as PathVector[]).filter((c) => c.fs !== undefined);
  const scratch = mkdtempSync(join(tmpdir(), "wireweb-url-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  it.each(fsCases)("$target -> $result (real symlinks)", ({ target, result, fs }) => {
    const place = (p: string) => join(scratch, ...p.split("/"));
    const root = place(fs?.root ?? "/srv/www");
    mkdirSync(root, { recursive: true });
    for (const [link, to] of Object.entries(fs?.symlinks ?? {})) {
      mkdirSync(join(place(to), ""), { recursive: true });
      rmSync(place(link), { force: true });
      symlinkSync(place(to), place(link));
      mkdirSync(join(place(to)), { recursive: true });
    }
    const split = splitTarget(target);
    const candidate = resolveSafePath(root, split.path);
    expect(candidate.startsWith(root + sep)).toBe(true);
    const realRoot = realpathSync(root);
    const [first] = split.path.slice(1).split("/");
    const real = realpathSync(join(root, first ?? ""));
    const inside = real === realRoot || real.startsWith(realRoot + sep);
    expect(inside ? toRelative(candidate, root) : "reject").toBe(result);
  });
});

/** Attacks from real CVEs and issues in static servers; each row: path, source, expected code or root-relative result. */
const ATTACKS: ReadonlyArray<readonly [string, string, UrlErrorCode | { inside: string }]> = [
  [
    "/%2e%2e/%2e%2e/etc/passwd",
    "st CVE-2014-3744 (encoded dots checked before decoding)",
    "WW_URL_TRAVERSAL",
  ],
  ["/%2E%2e/secret", "st CVE-2014-3744, mixed case", "WW_URL_TRAVERSAL"],
  [
    "/../www-private/secret.txt",
    "send CVE-2014-6394 / pillarjs/send #59 (prefix test without separator)",
    "WW_URL_TRAVERSAL",
  ],
  [
    "/../www2/x",
    "node-static CVE-2023-26111 (startsWith(root) without separator)",
    "WW_URL_TRAVERSAL",
  ],
  ["/../../../etc/passwd", "http-server (huntr #999, 2020); node-ecstatic #1", "WW_URL_TRAVERSAL"],
  ["/a/../../etc/passwd", "net climb after a legitimate pop", "WW_URL_TRAVERSAL"],
  [
    "//evil.example/%2e%2e",
    "serve-static CVE-2015-1164, st CVE-2017-16224 (// echoed in redirects)",
    { inside: "" },
  ],
  ["//example.com/%2e%2e/", "CPython http.server CVE-2021-28861 (open redirect)", { inside: "" }],
  [
    "//admin/secret.txt",
    "@hono/node-server CVE-2026-39406 (collapse before matching routes)",
    { inside: "admin/secret.txt" },
  ],
  [
    "/..%5c..%5csecret.txt",
    "CPython bpo-26657 (http.server on Windows)",
    "WW_URL_ENCODED_SEPARATOR",
  ],
  [
    "/..\\..\\windows\\win.ini",
    "vertx-web CVE-2018-12542; Crystal #11826; cowboy #447",
    "WW_URL_BACKSLASH",
  ],
  ["/..%20/secret.txt", "CPython #157504 (Windows trims trailing spaces)", "WW_URL_TRAVERSAL"],
  ["/..%2e/secret.txt", "CPython #157504 (Windows trims trailing dots)", "WW_URL_TRAVERSAL"],
  ["/.../etc", "Mojolicious #738", "WW_URL_TRAVERSAL"],
  ["/.. ./x".replace(" ", "%20"), "Windows trailing-dot/space trimming", "WW_URL_TRAVERSAL"],
  [
    "/c:/windows/win.ini",
    "Werkzeug CVE-2019-14322 (drive names in SharedDataMiddleware)",
    "WW_URL_COLON",
  ],
  ["/C%3A/Windows/win.ini", "drive letter, encoded colon", "WW_URL_COLON"],
  [
    "/index.html::$DATA",
    "NTFS alternate data stream (IIS source disclosure class)",
    "WW_URL_COLON",
  ],
  ["/cgi-bin/.%2e/.%2e/.%2e/etc/passwd", "Apache httpd CVE-2021-41773", "WW_URL_TRAVERSAL"],
  [
    "/cgi-bin/%%32%65%%32%65/etc/passwd",
    "Apache httpd CVE-2021-42013 (double-encoded via %%32%65)",
    "WW_URL_BAD_ESCAPE",
  ],
  ["/cgi-bin/.%%32%65/etc/passwd", "Apache httpd CVE-2021-42013", "WW_URL_BAD_ESCAPE"],
  [
    "/scripts/..%c0%af../winnt/system32/cmd.exe",
    "IIS CVE-2000-0884 (overlong UTF-8 '/')",
    "WW_URL_INVALID_UTF8",
  ],
  [
    "/scripts/..%c1%9c../winnt/system32/cmd.exe",
    "IIS Unicode traversal (overlong '\\')",
    "WW_URL_INVALID_UTF8",
  ],
  ["/%c0%ae%c0%ae/etc/passwd", "overlong '.' (2 bytes)", "WW_URL_INVALID_UTF8"],
  ["/%e0%80%ae%e0%80%ae/etc/passwd", "overlong '.' (3 bytes)", "WW_URL_INVALID_UTF8"],
  ["/%f0%80%80%ae/x", "overlong '.' (4 bytes)", "WW_URL_INVALID_UTF8"],
  ["/%ed%a0%80", "UTF-8 encoded surrogate", "WW_URL_INVALID_UTF8"],
  [
    "/scripts/..%255c../winnt/cmd.exe",
    "IIS CVE-2001-0333 (double decoding): decoded once, a literal name",
    { inside: "scripts/..%5c../winnt/cmd.exe" },
  ],
  ["/.%252e/.%252e/etc/passwd", "dir2opds #17 (decoded twice)", { inside: ".%2e/.%2e/etc/passwd" }],
  ["/%2e%2e%5c%2e%2e%5cetc", "cpp-httplib #1768", "WW_URL_ENCODED_SEPARATOR"],
  ["/%2e%2e/%2e%2e/etc/passwd", "agoo #138 (strstr('../') before decoding)", "WW_URL_TRAVERSAL"],
  ["/..%2f..%2fetc%2fpasswd", "fapws3 #38; fast-uri CVE-2026-6321", "WW_URL_ENCODED_SEPARATOR"],
  [
    "/admin%2Fsecret.html",
    "@fastify/static CVE-2026-6414; Hono GHSA-q5qw-h33p-qvwr",
    "WW_URL_ENCODED_SEPARATOR",
  ],
  ["/..%5C..%5Cwindows%5Cwin.ini", "Hono serve-static CVE-2026-54286", "WW_URL_ENCODED_SEPARATOR"],
  [
    "/file.txt%00.html",
    "poison NUL byte (CWE-158); send and serve-static answer 400",
    "WW_URL_NUL_BYTE",
  ],
  ["/file.txt\u0000.html", "raw NUL", "WW_URL_NUL_BYTE"],
  ["/a%0d%0aSet-Cookie:x", "CRLF injection into logs/headers", "WW_URL_CONTROL_CHAR"],
  ["/a%c2%85b", "C1 control (NEL)", "WW_URL_CONTROL_CHAR"],
  ["/100%.txt", "malformed escape (send: decodeURIComponent throws -> 400)", "WW_URL_BAD_ESCAPE"],
  ["/%ff", "not UTF-8", "WW_URL_INVALID_UTF8"],
  ["/%e2%82", "truncated UTF-8", "WW_URL_INVALID_UTF8"],
  [
    "/%EF%BC%8E%EF%BC%8E/etc/passwd",
    "fullwidth dots are ordinary (no NFKC)",
    { inside: "\uff0e\uff0e/etc/passwd" },
  ],
  ["/a b", "raw space (not a valid request-target)", "WW_URL_INVALID_PATH"],
  ["/a?b", "query passed by mistake", "WW_URL_INVALID_PATH"],
  ["/a#b", "fragment", "WW_URL_INVALID_PATH"],
  ["/caf\u00e9", "raw non-ASCII", "WW_URL_INVALID_PATH"],
  ["index.html", "not origin-form", "WW_URL_INVALID_PATH"],
  ["", "empty", "WW_URL_INVALID_PATH"],
];

describe("traversal attacks from CVEs and issue trackers", () => {
  it.each(ATTACKS)("%s (%s)", (attack, _source, expected) => {
    const got = outcome(() => toRelative(resolveSafePath(ROOT, attack), ROOT));
    expect(got).toEqual(typeof expected === "string" ? expected : expected.inside);
  });

  it("gives 400 for encoding faults and 403 for traversal", () => {
    const status = (p: string) => {
      try {
        resolveSafePath(ROOT, p);
      } catch (error) {
        return (error as UrlError).status;
      }
      return 200;
    };
    expect([status("/%zz"), status("/%ff"), status("/a%00"), status("/a%01")]).toEqual([
      400, 400, 400, 400,
    ]);
    expect([status("/.."), status("/a%2fb"), status("/a\\b"), status("/c:")]).toEqual([
      403, 403, 403, 403,
    ]);
  });
});

describe("resolveSafePath", () => {
  it("returns root for / and keeps a trailing separator", () => {
    expect(resolveSafePath(ROOT, "/")).toBe(ROOT);
    expect(resolveSafePath(ROOT, "//")).toBe(ROOT);
    expect(resolveSafePath(ROOT, "/docs/")).toBe(`${ROOT}${sep}docs${sep}`);
    expect(resolveSafePath(ROOT, "/docs/a.txt")).toBe(`${ROOT}${sep}docs${sep}a.txt`);
  });

  it("normalises the root and accepts a trailing separator on it", () => {
    expect(resolveSafePath(`${ROOT}${sep}`, "/a")).toBe(`${ROOT}${sep}a`);
    expect(resolveSafePath(`${ROOT}${sep}x${sep}..`, "/a")).toBe(`${ROOT}${sep}a`);
  });

  it("throws TypeError for a relative or missing root", () => {
    expect(() => resolveSafePath("srv", "/a")).toThrow(TypeError);
    expect(() => resolveSafePath("", "/a")).toThrow(TypeError);
  });

  it("stays inside the root for any input (property)", () => {
    const piece = fc.constantFrom(
      "..",
      ".",
      "",
      "%2e",
      "%2E%2e",
      "a",
      "b.txt",
      "%2f",
      "%5c",
      "\\",
      "%00",
      ":",
      "%c0%ae",
      "%25",
      ".. ",
      "%20",
      "x%2e%2e",
      "...",
      "é",
      "%C3%A9",
      "%",
    );
    const path = fc
      .array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 12 })
      .map((parts) => `/${parts.join("/")}`);
    fc.assert(
      fc.property(path, (raw) => {
        let resolved: string;
        try {
          resolved = resolveSafePath(ROOT, raw);
        } catch (error) {
          if (UrlError.is(error)) return true;
          throw error;
        }
        expect(resolved === ROOT || resolved.startsWith(ROOT + sep)).toBe(true);
        const relative = resolved.slice(ROOT.length + 1).split(sep);
        for (const name of relative) expect([".", "..", "...", ".. "]).not.toContain(name);
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});

describe("hasDotSegment", () => {
  it.each([
    [".env", true],
    ["a/.git/config", true],
    ["a\\.ssh", true],
    ["a.b/c", false],
    ["", false],
    ["well/known.", false],
  ] as const)("%s -> %s", (path, expected) => {
    expect(hasDotSegment(path)).toBe(expected);
  });
});

describe("resolveSafePath against path.posix (property)", () => {
  it("equals join(root, normalize(decoded)) when nothing climbs, and refuses exactly the climbs", () => {
    const segment = fc.constantFrom(
      "a",
      "b",
      "c.txt",
      ".",
      "..",
      "",
      "%2e",
      "%2E%2e",
      ".%2e",
      "%41",
      "caf%C3%A9",
      "x%20y",
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 10 }), (segments) => {
        const raw = `/${segments.join("/")}`;
        const names = segments.map((s) => decodeURIComponent(s));
        let depth = 0;
        let climbs = false;
        for (const name of names) {
          if (name === "..") depth--;
          else if (name !== "." && name !== "") depth++;
          if (depth < 0) climbs = true;
        }
        const got = outcome(() => resolveSafePath(ROOT, raw));
        if (climbs) {
          expect(got).toBe("WW_URL_TRAVERSAL");
          return;
        }
        const expected = posix.join(
          ROOT.split(sep).join("/"),
          posix.normalize(`/${names.join("/")}`),
        );
        const strip = (p: string) => (p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p);
        expect(strip(got.split(sep).join("/"))).toBe(strip(expected));
      }),
      { numRuns: RUNS },
    );
  });

  const anyChar = fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    fc.constantFrom(
      "%",
      "%2",
      "%2e",
      "%2f",
      "%5c",
      "%00",
      "%c0%ae",
      "%ff",
      "/",
      "\\",
      ".",
      ":",
      "?",
      "#",
    ),
    fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  );

  it("throws only UrlError, whatever the input (property)", () => {
    fc.assert(
      // Code points built by hand: fast-check's "binary" unit spends seconds on a one-time table.
      fc.property(
        fc.array(anyChar, { maxLength: 40 }).map((cs) => cs.join("")),
        (tail) => {
          outcome(() => resolveSafePath(ROOT, `/${tail}`));
          outcome(() => splitTarget(tail).path);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
