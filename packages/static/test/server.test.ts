import { utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { HELLO, HUGE_SIZE, SECRET } from "./fixture.js";
import { type Running, rawRequest, startServer } from "./helpers.js";

let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<Running> {
  running = await startServer(options);
  return running;
}

describe("GET and HEAD", () => {
  it("serves a text file with type, charset, validators and caching headers", async () => {
    const r = await start();
    const response = await fetch(`${r.base}/hello.txt`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(HELLO);
    const h = response.headers;
    expect(h.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(h.get("content-length")).toBe("11");
    expect(h.get("x-content-type-options")).toBe("nosniff");
    expect(h.get("accept-ranges")).toBe("bytes");
    expect(h.get("cache-control")).toBe("no-cache");
    expect(h.get("vary")).toBe("Accept-Encoding");
    expect(h.get("etag")).toMatch(/^"[0-9a-z]+-[0-9a-z]+"$/);
    expect(Date.parse(h.get("last-modified")!)).toBeGreaterThan(0);
    expect(h.get("date")).toBeTruthy();
  });

  it("serves binary, unicode-named and space-named files byte for byte", async () => {
    const r = await start();
    const binary = await fetch(`${r.base}/binary.bin`);
    expect(binary.headers.get("content-type")).toBe("application/octet-stream");
    expect(Buffer.from(await binary.arrayBuffer()).equals(r.fixture.binary)).toBe(true);
    const unicode = await fetch(`${r.base}/f%C3%BCnke.txt`);
    expect(await unicode.text()).toBe("unicode name\n");
    const spaced = await fetch(`${r.base}/with%20space.txt`);
    expect(await spaced.text()).toBe("space\n");
    const empty = await fetch(`${r.base}/empty.txt`);
    expect(empty.status).toBe(200);
    expect(empty.headers.get("content-length")).toBe("0");
  });

  it("answers HEAD with GET's headers and no body, for cached and streamed files", async () => {
    const r = await start();
    for (const [path, length] of [
      ["/hello.txt", 11],
      ["/binary.bin", 200 * 1024],
      ["/huge.bin", HUGE_SIZE],
    ] as const) {
      const get = await rawRequest(r, "GET", path, { Range: "bytes=0-0" });
      const head = await rawRequest(r, "HEAD", path);
      expect(head.status).toBe(200);
      expect(head.headers.get("content-length")).toBe(String(length));
      expect(head.headers.get("etag")).toBe(get.headers.get("etag"));
      expect(head.body.length).toBe(0);
    }
  });

  it("answers other methods 405 with Allow", async () => {
    const r = await start();
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get"]) {
      const response = await rawRequest(r, method, "/hello.txt", { "Content-Length": "0" });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    }
  });

  it("sends the configured Cache-Control", async () => {
    const r = await start({ maxAge: 3600, immutable: true });
    const response = await fetch(`${r.base}/hello.txt`);
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600, immutable");
  });
});

describe("conditional requests (RFC 9110 §13)", () => {
  it("gives a file written less than a second ago a weak ETag, and If-Range never matches it", async () => {
    const r = await start();
    writeFileSync(join(r.fixture.root, "fresh.txt"), "fresh!");
    const first = await rawRequest(r, "GET", "/fresh.txt");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"/);
    const ranged = await rawRequest(r, "GET", "/fresh.txt", {
      Range: "bytes=0-1",
      "If-Range": etag,
    });
    expect(ranged.status).toBe(200);
    expect((await rawRequest(r, "GET", "/fresh.txt", { "If-None-Match": etag })).status).toBe(304);
  });

  it("answers If-None-Match with 304 and the validators, no body", async () => {
    const r = await start();
    const first = await rawRequest(r, "GET", "/hello.txt");
    const etag = first.headers.get("etag")!;
    for (const value of [etag, `"nope", ${etag}`, "*", `W/${etag}`]) {
      const again = await rawRequest(r, "GET", "/hello.txt", { "If-None-Match": value });
      expect(again.status, value).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect(again.headers.get("cache-control")).toBe("no-cache");
      expect(again.body.length).toBe(0);
    }
  });

  it("answers If-Modified-Since with 304; If-None-Match wins when both are sent", async () => {
    const r = await start();
    const first = await rawRequest(r, "GET", "/binary.bin", { Range: "bytes=0-0" });
    const lastModified = first.headers.get("last-modified")!;
    expect(
      (await rawRequest(r, "GET", "/binary.bin", { "If-Modified-Since": lastModified })).status,
    ).toBe(304);
    const both = await rawRequest(r, "GET", "/binary.bin", {
      "If-Modified-Since": lastModified,
      "If-None-Match": '"something-else"',
    });
    expect(both.status).toBe(200);
    expect(both.body.length).toBe(200 * 1024);
  });

  it("answers a failed If-Match with 412", async () => {
    const r = await start();
    expect((await rawRequest(r, "GET", "/hello.txt", { "If-Match": '"x"' })).status).toBe(412);
  });
});

describe("ranges (RFC 9110 §14)", () => {
  const probes: [string, number, string | undefined, string][] = [
    ["bytes=0-4", 206, "bytes 0-4/11", "hello"],
    ["bytes=-3", 206, "bytes 8-10/11", "rld"],
    ["bytes=0-0", 206, "bytes 0-0/11", "h"],
    ["bytes=6-", 206, "bytes 6-10/11", "world"],
    ["bytes=500-600", 416, "bytes */11", ""],
    ["bytes=5-2", 200, undefined, HELLO],
    ["bytes=0-18446744073709551615", 206, "bytes 0-10/11", HELLO],
    ["lines=0-1", 200, undefined, HELLO],
  ];
  for (const path of ["/hello.txt", "/link-in.txt"]) {
    it.each(probes)(`${path} %s → %i`, async (range, status, contentRange, body) => {
      const r = await start();
      const response = await rawRequest(r, "GET", path, { Range: range });
      expect(response.status).toBe(status);
      expect(response.headers.get("content-range")).toBe(contentRange);
      expect(response.body.toString()).toBe(body);
      expect(response.headers.get("content-length")).toBe(String(body.length));
    });
  }

  it("serves ranges of a streamed file and of a 10 GiB sparse file", async () => {
    const r = await start();
    const { binary } = r.fixture;
    const middle = await rawRequest(r, "GET", "/binary.bin", { Range: "bytes=100000-150000" });
    expect(middle.status).toBe(206);
    expect(middle.body.equals(binary.subarray(100000, 150001))).toBe(true);
    const tail = await rawRequest(r, "GET", "/huge.bin", { Range: "bytes=-10" });
    expect(tail.headers.get("content-range")).toBe(
      `bytes ${HUGE_SIZE - 10}-${HUGE_SIZE - 1}/${HUGE_SIZE}`,
    );
    expect(tail.body).toEqual(Buffer.alloc(10));
  });

  it("serves several ranges as multipart/byteranges", async () => {
    const r = await start();
    for (const path of ["/hello.txt", "/binary.bin"]) {
      const response = await rawRequest(r, "GET", path, { Range: "bytes=0-1,4-5" });
      expect(response.status).toBe(206);
      const type = response.headers.get("content-type")!;
      const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(type)![1]!;
      expect(Number(response.headers.get("content-length"))).toBe(response.body.length);
      const parts = response.body.toString("latin1").split(`--${boundary}`);
      expect(parts).toHaveLength(4);
      expect(parts[3]).toBe("--\r\n");
      const source = path === "/hello.txt" ? Buffer.from(HELLO) : r.fixture.binary;
      expect(parts[1]).toContain("Content-Range: bytes 0-1/");
      expect(parts[1]!.endsWith(`\r\n\r\n${source.subarray(0, 2).toString("latin1")}\r\n`)).toBe(
        true,
      );
      expect(parts[2]!.endsWith(`\r\n\r\n${source.subarray(4, 6).toString("latin1")}\r\n`)).toBe(
        true,
      );
    }
  });

  it("honours If-Range: a current ETag or date gets 206, a stale one the whole file", async () => {
    const r = await start();
    // Make the file's validators strong (written more than a second ago).
    utimesSync(join(r.fixture.root, "hello.txt"), new Date(), new Date(Date.now() - 60_000));
    const first = await rawRequest(r, "GET", "/hello.txt");
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    const current = await rawRequest(r, "GET", "/hello.txt", {
      Range: "bytes=0-4",
      "If-Range": etag,
    });
    expect(current.status).toBe(206);
    const byDate = await rawRequest(r, "GET", "/hello.txt", {
      Range: "bytes=0-4",
      "If-Range": lastModified,
    });
    expect(byDate.status).toBe(206);
    const stale = await rawRequest(r, "GET", "/hello.txt", {
      Range: "bytes=0-4",
      "If-Range": '"stale"',
    });
    expect(stale.status).toBe(200);
    expect(stale.body.toString()).toBe(HELLO);
  });
});

describe("precompressed siblings", () => {
  it("serves .br, then .gz, by Accept-Encoding, each with its own length and ETag", async () => {
    const r = await start();
    const br = await rawRequest(r, "GET", "/app.js", { "Accept-Encoding": "gzip, deflate, br" });
    const gz = await rawRequest(r, "GET", "/app.js", { "Accept-Encoding": "gzip" });
    const plain = await rawRequest(r, "GET", "/app.js");
    const refused = await rawRequest(r, "GET", "/app.js", {
      "Accept-Encoding": "br;q=0, gzip;q=0",
    });
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(brotliDecompressSync(br.body).toString()).toBe(r.fixture.appJs);
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(r.fixture.appJs);
    expect(plain.headers.has("content-encoding")).toBe(false);
    expect(plain.body.toString()).toBe(r.fixture.appJs);
    expect(refused.headers.has("content-encoding")).toBe(false);
    for (const response of [br, gz, plain]) {
      expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(response.headers.get("vary")).toBe("Accept-Encoding");
      expect(Number(response.headers.get("content-length"))).toBe(response.body.length);
    }
    expect(new Set([br, gz, plain].map((x) => x.headers.get("etag"))).size).toBe(3);
    // undici's fetch decodes the br body itself: the result must be the original script.
    const decoded = await fetch(`${r.base}/app.js`, { headers: { "Accept-Encoding": "br" } });
    expect(await decoded.text()).toBe(r.fixture.appJs);
  });

  it("304s per encoding and serves identity bytes for a Range", async () => {
    const r = await start();
    const br = await rawRequest(r, "GET", "/app.js", { "Accept-Encoding": "br" });
    const again = await rawRequest(r, "GET", "/app.js", {
      "Accept-Encoding": "br",
      "If-None-Match": br.headers.get("etag")!,
    });
    expect(again.status).toBe(304);
    expect(again.headers.get("vary")).toBe("Accept-Encoding");
    const ranged = await rawRequest(r, "GET", "/app.js", {
      "Accept-Encoding": "br",
      Range: "bytes=0-6",
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.has("content-encoding")).toBe(false);
    expect(ranged.body.toString()).toBe("console");
  });

  it("falls back to .gz when there is no .br, and never serves siblings when turned off", async () => {
    const r = await start({ precompressed: false });
    const plain = await rawRequest(r, "GET", "/app.js", { "Accept-Encoding": "br, gzip" });
    expect(plain.headers.has("content-encoding")).toBe(false);
    expect(plain.headers.has("vary")).toBe(false);
    await r.stop();
    const r2 = await start();
    const gz = await rawRequest(r2, "GET", "/only-gz.css", { "Accept-Encoding": "br, gzip" });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe("body{}\n");
  });
});

describe("directories", () => {
  it("redirects /sub to /sub/ (query kept) and serves its index.html", async () => {
    const r = await start();
    const redirect = await rawRequest(r, "GET", "/sub?x=1&y=%20");
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/sub/?x=1&y=%20");
    const index = await fetch(`${r.base}/sub/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await index.text()).toBe("<p>sub index</p>\n");
  });

  it("resolves dot segments that stay inside the root", async () => {
    const r = await start();
    expect((await rawRequest(r, "GET", "/sub/../hello.txt")).body.toString()).toBe(HELLO);
    const dot = await rawRequest(r, "GET", "/sub/.");
    expect(dot.status).toBe(200);
    expect(dot.body.toString()).toBe("<p>sub index</p>\n");
    expect((await rawRequest(r, "GET", "/sub/./inner.txt")).body.toString()).toBe("inner\n");
  });

  it("never redirects to another host", async () => {
    const r = await start();
    const response = await rawRequest(r, "GET", "//sub");
    if (response.status === 301) expect(response.headers.get("location")).toBe("/sub/");
    else expect([400, 403, 404]).toContain(response.status);
  });

  it("answers a directory without index.html 404 unless listing is on, saying why (issue 16)", async () => {
    const r = await start();
    const hint = "This folder has no index.html. Directory listings are off (option listing).";
    for (const path of ["/empty/", "/"]) {
      const response = await fetch(`${r.base}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const html = await response.text();
      expect(html, path).toContain(`<p>${hint}</p>`);
      // Readable on a phone (issue 16, item 7).
      expect(html).toContain(
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
      );
    }
    // No hint where there is no folder at all.
    expect(await (await fetch(`${r.base}/nowhere/`)).text()).toBe("404 Not Found\n");
    await r.stop();
    running = undefined;
    const named = await start({ listingHint: "Start the file server with --listing to list it." });
    expect(await (await fetch(`${named.base}/`)).text()).toContain(
      "<p>This folder has no index.html. Start the file server with --listing to list it.</p>",
    );
    // The hint is escaped like any text that reaches HTML.
    await named.stop();
    running = undefined;
    const hostile = await start({ listingHint: "<script>alert(1)</script>" });
    const escaped = await (await fetch(`${hostile.base}/`)).text();
    expect(escaped).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(escaped).not.toContain("<script>");
  });

  it("lists a directory when asked: escaped, sorted, no dotfiles, no links out", async () => {
    const r = await start({ listing: true });
    const response = await fetch(`${r.base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain("&lt;b&gt;&amp;amp;.txt");
    expect(html).not.toContain("<b>&amp;.txt");
    expect(html).toContain('href="./f%C3%BCnke.txt"');
    expect(html).toContain('href="./sub/"');
    expect(html).toContain('href="./link-in.txt"');
    for (const hidden of [
      ".env",
      ".git",
      ".well-known",
      "link-out.txt",
      "dir-link-out",
      "link-to-dotfile",
    ]) {
      expect(html, hidden).not.toContain(hidden);
    }
    const names = [...html.matchAll(/<a href="\.\/([^"]+)"/g)].map((m) => m[1]);
    const dirs = names.filter((n) => n!.endsWith("/"));
    expect(names.slice(0, dirs.length)).toEqual(dirs);
    const files = names.slice(dirs.length).map((n) => decodeURIComponent(n!));
    expect(files).toEqual([...files].sort());
    expect((await fetch(`${r.base}/empty/`)).status).toBe(200);
  });
});

describe("nothing outside the root is ever read", () => {
  // The research probe set: raw bytes, so no client normalises them first.
  const attacks = [
    "/../outside/secret.txt",
    "/%2e%2e/outside/secret.txt",
    "/..%2foutside%2fsecret.txt",
    "/%2e%2e%2foutside%2fsecret.txt",
    "/sub/../../outside/secret.txt",
    "/..%5coutside%5csecret.txt",
    "/..\\outside\\secret.txt",
    "/%252e%252e/outside/secret.txt",
    "//..//outside//secret.txt",
    "/%c0%ae%c0%ae/outside/secret.txt",
    "/hello.txt%00.html",
    "/link-out.txt",
    "/dir-link-out/secret.txt",
    "/dir-link-out/",
    "/dir-link-out",
    "/link-to-dotfile.txt",
    "//evil.example/%2e%2e",
    "/.env",
    "/.git/config",
    "/%2eenv",
    "/%2egit/config",
  ];
  it.each(attacks)("%s", async (target) => {
    const r = await start({ listing: true });
    for (const method of ["GET", "HEAD"]) {
      const response = await rawRequest(r, method, target);
      expect(response.head + response.body.toString("latin1")).not.toContain(SECRET);
      if (response.status === 301) expect(response.headers.get("location")).toBe("/");
      else expect([400, 403, 404]).toContain(response.status);
    }
  });

  it("answers bad percent-encoding and NUL with 400, and keeps serving", async () => {
    const r = await start();
    for (const target of ["/%zz", "/%ff.txt", "/a%", "/%00", "/%E2%82"]) {
      expect((await rawRequest(r, "GET", target)).status, target).toBe(400);
    }
    expect((await fetch(`${r.base}/hello.txt`)).status).toBe(200);
  });

  it("serves dotfiles only with dotfiles: allow; /.well-known/ always", async () => {
    const r = await start();
    expect((await fetch(`${r.base}/.well-known/security.txt`)).status).toBe(200);
    await r.stop();
    const allow = await start({ dotfiles: "allow" });
    expect((await fetch(`${allow.base}/.env`)).status).toBe(200);
    await allow.stop();
    const deny = await start({ dotfiles: "deny" });
    expect((await fetch(`${deny.base}/.env`)).status).toBe(403);
  });

  it("follows symlinks that stay inside the root", async () => {
    const r = await start();
    expect(await (await fetch(`${r.base}/link-in.txt`)).text()).toBe(HELLO);
  });
});

describe("not found", () => {
  it("answers 404 text/plain without a 404.html", async () => {
    const r = await start();
    const response = await fetch(`${r.base}/missing.txt`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("404 Not Found\n");
  });

  it("uses the root's 404.html, also for hidden dotfiles", async () => {
    const r = await start({ notFoundPage: true });
    for (const path of ["/missing.txt", "/.env", "/empty/"]) {
      const response = await fetch(`${r.base}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type"), path).toBe("text/html; charset=utf-8");
      expect(await response.text(), path).toBe("<h1>custom not found</h1>\n");
    }
  });
});

describe("access log", () => {
  it("writes one Common Log Format line per request", async () => {
    const r = await start();
    await (await fetch(`${r.base}/hello.txt`)).text();
    await (await fetch(`${r.base}/missing`)).text();
    await rawRequest(r, "HEAD", "/hello.txt");
    expect(r.logged).toHaveLength(3);
    expect(r.logged[0]).toMatch(
      /^127\.0\.0\.1 - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET \/hello\.txt HTTP\/1\.1" 200 11$/,
    );
    expect(r.logged[1]).toMatch(/"GET \/missing HTTP\/1\.1" 404 14$/);
    expect(r.logged[2]).toMatch(/"HEAD \/hello\.txt HTTP\/1\.1" 200 -$/);
  });
});
