import {
  mkdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HELLO, SECRET } from "./fixture.js";
import { type Running, startServer } from "./helpers.js";

// The small-file cache answers from memory and looks at the disk again once an answer is
// `revalidateMs` old (500 ms by default). These tests change real files under a running server
// and poll it, so what they time is what a user sees.

let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<Running> {
  running = await startServer(options);
  return running;
}

async function get(r: Running, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${r.base}${path}`, { headers, redirect: "manual" });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * Polls `path` every 25 ms until `done` holds; resolves with the milliseconds that took.
 * Gives up after 5 s, so a server that never shows the change fails the test's assertion.
 */
async function msUntil(
  r: Running,
  path: string,
  done: (answer: Awaited<ReturnType<typeof get>>) => boolean,
): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 5000) {
    if (done(await get(r, path))) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Number.POSITIVE_INFINITY;
}

/** Written a minute ago, like the fixture, so the file is cacheable (not a fresh write). */
function writeOld(path: string, text: string, ageMs = 60_000): void {
  writeFileSync(path, text);
  const past = new Date(Date.now() - ageMs);
  utimesSync(path, past, past);
}

describe("the small-file cache", () => {
  it("answers from memory: a cached file is served without looking at the disk until revalidateMs", async () => {
    const r = await start({ revalidateMs: 60_000 });
    expect((await get(r, "/hello.txt")).text).toBe(HELLO);
    // Gone from the disk, yet served: the answer came from memory, with no file system call.
    renameSync(join(r.fixture.root, "hello.txt"), join(r.fixture.base, "moved.txt"));
    const cached = await get(r, "/hello.txt");
    expect(cached.status).toBe(200);
    expect(cached.text).toBe(HELLO);
    expect(cached.headers.get("content-length")).toBe("11");
  });

  it("an edit to a served file shows within a second (default revalidateMs)", async () => {
    const r = await start();
    const path = join(r.fixture.root, "hello.txt");
    expect((await get(r, "/hello.txt")).text).toBe(HELLO);
    expect((await get(r, "/hello.txt")).text).toBe(HELLO); // now answered from memory
    // Same size: only the file's times tell the versions apart.
    writeFileSync(path, "HELLO WORLD");
    const ms = await msUntil(r, "/hello.txt", (a) => a.text === "HELLO WORLD");
    expect(ms).toBeLessThan(1000);
    // And it stays edited: the new version is what gets cached.
    expect((await get(r, "/hello.txt")).text).toBe("HELLO WORLD");
  });

  it("new and deleted files show within a second", async () => {
    const r = await start();
    expect((await get(r, "/new.txt")).status).toBe(404);
    writeOld(join(r.fixture.root, "new.txt"), "new file");
    expect(await msUntil(r, "/new.txt", (a) => a.text === "new file")).toBeLessThan(1000);
    expect((await get(r, "/hello.txt")).status).toBe(200);
    unlinkSync(join(r.fixture.root, "hello.txt"));
    expect(await msUntil(r, "/hello.txt", (a) => a.status === 404)).toBeLessThan(1000);
  });

  it("revalidateMs 0 (the file server's --dev) checks the disk on every request", async () => {
    const r = await start({ revalidateMs: 0 });
    expect((await get(r, "/hello.txt")).text).toBe(HELLO);
    writeOld(join(r.fixture.root, "hello.txt"), "edited!");
    expect((await get(r, "/hello.txt")).text).toBe("edited!");
    unlinkSync(join(r.fixture.root, "hello.txt"));
    expect((await get(r, "/hello.txt")).status).toBe(404);
  });

  it("gives a changed file new validators, so an old ETag no longer gets 304", async () => {
    const r = await start({ revalidateMs: 100 });
    const first = await get(r, "/hello.txt");
    const etag = first.headers.get("etag")!;
    expect((await get(r, "/hello.txt", { "if-none-match": etag })).status).toBe(304);
    // Same size, content changed, and dated in the past: only the mtime differs.
    writeOld(join(r.fixture.root, "hello.txt"), "HELLO WORLD", 30_000);
    const ms = await msUntil(r, "/hello.txt", (a) => a.text === "HELLO WORLD");
    expect(ms).toBeLessThan(1000);
    const after = await get(r, "/hello.txt", { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(after.text).toBe("HELLO WORLD");
  });

  it("never serves a cached path past revalidateMs once it would be refused", async () => {
    const r = await start({ revalidateMs: 150 });
    const { root, outside } = r.fixture;
    for (const name of ["to-link.txt", "to-dot.txt", "to-dir.txt"])
      writeOld(join(root, name), "ok");
    for (const name of ["to-link.txt", "to-dot.txt", "to-dir.txt"]) {
      expect((await get(r, `/${name}`)).text).toBe("ok");
    }
    // A symlink out of the root, a symlink to a dotfile, and a directory take their places.
    unlinkSync(join(root, "to-link.txt"));
    symlinkSync(join(outside, "secret.txt"), join(root, "to-link.txt"));
    unlinkSync(join(root, "to-dot.txt"));
    symlinkSync(join(root, ".env"), join(root, "to-dot.txt"));
    unlinkSync(join(root, "to-dir.txt"));
    mkdirSync(join(root, "to-dir.txt"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const link = await get(r, "/to-link.txt");
    expect(link.status).toBe(404);
    expect(link.text).not.toContain(SECRET);
    const dot = await get(r, "/to-dot.txt");
    expect(dot.status).toBe(404);
    expect(dot.text).not.toContain(SECRET);
    const dir = await get(r, "/to-dir.txt");
    expect(dir.status).toBe(301);
    expect(dir.headers.get("location")).toBe("/to-dir.txt/");
    rmSync(join(root, "to-dir.txt"), { recursive: true });
  });

  it("caches each precompressed variant and still picks one per request's Accept-Encoding", async () => {
    const r = await start({ revalidateMs: 60_000 });
    for (let round = 0; round < 2; round++) {
      for (const [accept, encoding] of [
        ["br, gzip", "br"],
        ["gzip", "gzip"],
        ["identity", null],
      ] as const) {
        const response = await fetch(`${r.base}/app.js`, {
          headers: { "accept-encoding": accept },
        });
        expect(response.headers.get("content-encoding"), accept).toBe(encoding);
        expect(response.headers.get("vary")).toBe("Accept-Encoding");
      }
    }
    // A Range request always gets the identity bytes, from the cache too.
    const ranged = await fetch(`${r.base}/app.js`, {
      headers: { "accept-encoding": "br", range: "bytes=0-6" },
    });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe("console");
  });
});
