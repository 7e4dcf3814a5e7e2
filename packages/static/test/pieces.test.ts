import { join, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { formatAccessLog } from "../src/access-log.js";
import { escapeHtml } from "../src/html.js";
import { formatSize, renderListing, sortEntries } from "../src/listing.js";
import { planMultipart } from "../src/multipart.js";
import { type CachedFile, ENTRY_OVERHEAD_BYTES, PathCache } from "../src/path-cache.js";
import { checkDotfiles, directoryLocation, isInside, urlPathOf } from "../src/paths.js";

describe("renderListing", () => {
  const entries = [
    { name: "b.txt", isDirectory: false, size: 2048, mtimeMs: 0 },
    { name: "a dir", isDirectory: true, size: 4096, mtimeMs: 0 },
    { name: '<img src=x onerror="alert(1)">.txt', isDirectory: false, size: 1, mtimeMs: 0 },
    { name: "A.txt", isDirectory: false, size: 5, mtimeMs: 0 },
    { name: "javascript:alert(1)", isDirectory: false, size: 5, mtimeMs: 0 },
    { name: "fünke.txt", isDirectory: false, size: 5, mtimeMs: 0 },
  ];

  it("sorts directories first, then by code point", () => {
    expect(sortEntries(entries).map((e) => e.name)).toEqual([
      "a dir",
      '<img src=x onerror="alert(1)">.txt',
      "A.txt",
      "b.txt",
      "fünke.txt",
      "javascript:alert(1)",
    ]);
  });

  it("escapes names and percent-encodes relative links", () => {
    const html = renderListing("/sub/<x>/", entries);
    expect(html).toContain("<title>Index of /sub/&lt;x&gt;/</title>");
    // Issue 16: readable on a phone, not a desktop page shrunk to fit.
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.txt</a>");
    expect(html).toContain('href="./%3Cimg%20src%3Dx%20onerror%3D%22alert(1)%22%3E.txt"');
    expect(html).toContain('href="./a%20dir/">a dir/</a>');
    expect(html).toContain('href="./javascript%3Aalert(1)"');
    expect(html).toContain('href="./f%C3%BCnke.txt"');
    expect(html).toContain('href="../"');
  });

  it("has no parent link at the root", () => {
    expect(renderListing("/", [])).not.toContain('href="../"');
  });

  it.each([
    [0, "0"],
    [1023, "1023"],
    [1024, "1.0K"],
    [1536, "1.5K"],
    [20 * 1024 * 1024, "20M"],
  ])("formatSize(%d) = %s", (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  it("escapeHtml covers the five specials", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });
});

describe("formatAccessLog (Common Log Format)", () => {
  const record = {
    remoteAddress: "127.0.0.1",
    method: "GET",
    target: "/index.html",
    httpVersion: "HTTP/1.1",
    status: 200,
    bytes: 1234,
    time: Date.UTC(2026, 10, 23, 21, 39, 10),
  };
  it('writes host ident user [time] "request" status bytes', () => {
    expect(formatAccessLog(record)).toBe(
      '127.0.0.1 - - [23/Nov/2026:21:39:10 +0000] "GET /index.html HTTP/1.1" 200 1234',
    );
  });
  it("writes - for no body", () => {
    expect(formatAccessLog({ ...record, status: 304, bytes: 0 })).toMatch(/" 304 -$/);
  });
  it("escapes quotes, backslashes and control bytes so a line cannot be forged", () => {
    const line = formatAccessLog({ ...record, target: '/a"b\\c\nd\x7f\u00e9' });
    expect(line).toContain('"GET /a\\x22b\\x5cc\\x0ad\\x7f\\xe9 HTTP/1.1"');
    expect(line).not.toContain("\n");
  });
});

describe("PathCache", () => {
  const rep = (bytes: number) =>
    ({ body: Buffer.alloc(bytes) }) as unknown as CachedFile["identity"];
  const file = (bytes: number, br: number | null = null): CachedFile => ({
    identity: rep(bytes),
    br: br === null ? null : rep(br),
    gzip: null,
  });
  const limits = { revalidateMs: 1000, maxEntries: 100, maxBytes: 1 << 20 };

  it("trusts an entry for revalidateMs after it was checked, then forgets it", () => {
    const cache = new PathCache(limits);
    const f = file(3);
    cache.set("/a", f, 10_000);
    expect(cache.get("/a", 10_000)).toBe(f);
    expect(cache.get("/a", 10_999)).toBe(f);
    expect(cache.get("/a", 11_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it("asks once for a background check when a hit finds the entry past half its life", () => {
    const asked: string[] = [];
    const cache = new PathCache(limits, (path) => asked.push(path));
    cache.set("/a", file(3), 10_000);
    cache.get("/a", 10_499);
    expect(asked).toEqual([]);
    cache.get("/a", 10_500);
    cache.get("/a", 10_700);
    expect(asked).toEqual(["/a"]);
    cache.set("/a", file(3), 10_700); // the check's answer renews the entry
    cache.get("/a", 11_200);
    expect(asked).toEqual(["/a", "/a"]);
  });

  it("stores nothing with revalidateMs 0 (checked on every request) or maxEntries 0", () => {
    expect(new PathCache({ ...limits, revalidateMs: 0 }).set("/a", file(1), 0)).toBe(false);
    expect(new PathCache({ ...limits, maxEntries: 0 }).set("/a", file(1), 0)).toBe(false);
  });

  it("counts bodies plus a fixed overhead per version, and evicts least recently used to fit", () => {
    const one = 100 + ENTRY_OVERHEAD_BYTES + 2; // a 100-byte body under a 2-character path
    const cache = new PathCache({ ...limits, maxBytes: 2 * one + 10 });
    expect(cache.set("/big", file(3 * one), 0)).toBe(false);
    cache.set("/a", file(100), 0);
    cache.set("/b", file(100), 0);
    expect(cache.bytes).toBe(2 * one);
    cache.get("/a", 1); // a is now the most recently used
    cache.set("/c", file(100), 0);
    expect(cache.get("/b", 1)).toBeUndefined();
    expect(cache.get("/a", 1)).toBeDefined();
    expect(cache.get("/c", 1)).toBeDefined();
    expect(cache.bytes).toBe(2 * one);
    const withSibling = new PathCache(limits);
    withSibling.set("/s", file(100, 40), 0);
    expect(withSibling.bytes).toBe(140 + 2 * ENTRY_OVERHEAD_BYTES + 2);
  });

  it("gives an entry hit since its last turn a second chance before evicting it", () => {
    const cache = new PathCache({ ...limits, maxEntries: 3 });
    for (const path of ["/a", "/b", "/c"]) cache.set(path, file(1), 0);
    cache.get("/a", 1);
    cache.get("/b", 1);
    cache.set("/d", file(1), 0); // /a and /b were used: /c, the oldest unused, goes
    expect(cache.get("/c", 1)).toBeUndefined();
    cache.set("/e", file(1), 0); // flags cleared on their turn: now the oldest, /a, goes
    expect(cache.size).toBe(3);
    expect(cache.get("/a", 1)).toBeUndefined();
    expect(cache.get("/d", 1)).toBeDefined();
  });

  it("holds at most maxEntries paths", () => {
    const cache = new PathCache({ ...limits, maxEntries: 3 });
    for (let i = 0; i < 10; i++) cache.set(`/${i}`, file(1), 0);
    expect(cache.size).toBe(3);
    expect(cache.get("/9", 1)).toBeDefined();
    expect(cache.get("/6", 1)).toBeUndefined();
  });
});

describe("paths", () => {
  const root = join(sep, "srv", "pub");
  it("isInside is separator-aware (unlike sirv's startsWith)", () => {
    expect(isInside(root, root)).toBe(true);
    expect(isInside(root, join(root, "a.txt"))).toBe(true);
    expect(isInside(root, `${root}2${sep}a.txt`)).toBe(false);
    expect(isInside(root, join(sep, "srv"))).toBe(false);
  });
  it.each([
    ["/.env", "ignore", 404],
    ["/.env", "deny", 403],
    ["/.env", "allow", "serve"],
    ["/sub/.git/config", "ignore", 404],
    ["/.well-known/security.txt", "ignore", "serve"],
    ["/sub/.well-known/x", "ignore", 404],
    ["/a.b/c..d", "ignore", "serve"],
    ["/", "ignore", "serve"],
  ] as const)("checkDotfiles(%s, %s) = %s", (path, policy, expected) => {
    expect(checkDotfiles(root, root + path.split("/").join(sep), policy)).toBe(expected);
  });
  it("urlPathOf gives the display path of a directory", () => {
    expect(urlPathOf(root, root)).toBe("/");
    expect(urlPathOf(root, join(root, "a", "b") + sep)).toBe("/a/b/");
  });
  it.each([
    [["sub"], "", "/sub/"],
    [["sub"], "x=1", "/sub/?x=1"],
    [["a b", "fünke", "c?d"], "", "/a%20b/f%C3%BCnke/c%3Fd/"],
    [[], "", "/"],
  ])("directoryLocation(%j, %j) = %s", (segments, query, expected) => {
    expect(directoryLocation(root, join(root, ...segments), query)).toBe(expected);
  });
});

describe("planMultipart", () => {
  it("computes the exact body length and delimiters", () => {
    const plan = planMultipart(
      [
        { start: 0, end: 1 },
        { start: 4, end: 5 },
      ],
      11,
      "text/plain; charset=utf-8",
    );
    const boundary = /boundary=([0-9a-f]+)$/.exec(plan.contentType)![1]!;
    const body = Buffer.concat([
      plan.parts[0]!.head,
      Buffer.from("he"),
      plan.parts[1]!.head,
      Buffer.from("o "),
      plan.tail,
    ]).toString();
    expect(body).toBe(
      `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/11\r\n\r\nhe` +
        `\r\n--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 4-5/11\r\n\r\no ` +
        `\r\n--${boundary}--\r\n`,
    );
    expect(plan.length).toBe(Buffer.byteLength(body));
  });
});
