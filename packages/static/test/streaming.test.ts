import { execFile } from "node:child_process";
import { existsSync, readdirSync, readlinkSync, truncateSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { HELLO, HUGE_SIZE, SECRET } from "./fixture.js";
import { type Running, startServer } from "./helpers.js";

const run = promisify(execFile);
let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

// Outside CI a machine without /proc or curl skips those tests; in CI (.ci/run installs curl)
// they run, and a missing tool fails them instead of passing them silently.
const IN_CI = process.env.CI === "true";
const canSeeFds = existsSync("/proc/self/fd") || IN_CI;

/** How many of this process's file descriptors point at `path` (Linux /proc). */
function openHandles(path: string): number {
  let count = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) count++;
    } catch {
      // the descriptor closed while we looked
    }
  }
  return count;
}

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

/** Starts downloading `path`, reads at least `bytes`, then stops reading (socket paused). */
function stalledDownload(r: Running, path: string, bytes: number) {
  const socket = connect(r.port, "127.0.0.1");
  r.sockets.push(socket);
  let received = 0;
  let paused = false;
  const reached = new Promise<void>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      received += chunk.length;
      if (!paused && received >= bytes) {
        paused = true;
        socket.pause();
        resolve();
      }
    });
  });
  socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  return { socket, reached, received: () => received };
}

describe.skipIf(!canSeeFds)("streaming large files", () => {
  it("keeps memory flat for a slow reader of a 10 GiB file, then closes the file on disconnect", async () => {
    running = await startServer();
    const r = running;
    const huge = join(r.fixture.root, "huge.bin");
    const before = process.memoryUsage().arrayBuffers;
    const download = stalledDownload(r, "/huge.bin", 4 * 1024 * 1024);
    await download.reached;
    // The client has stopped reading: give the server time to (wrongly) buffer ahead.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stalledAt = download.received();
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeLessThan(48 * 1024 * 1024);
    expect(openHandles(huge)).toBe(1);
    // Reading again makes progress: the stream waited rather than gave up.
    download.socket.resume();
    expect(await waitFor(() => download.received() > stalledAt + 8 * 1024 * 1024, 5000)).toBe(true);
    download.socket.destroy();
    expect(await waitFor(() => openHandles(huge) === 0, 5000)).toBe(true);
    expect(await waitFor(() => r.logged.length === 1, 5000)).toBe(true);
    const loggedBytes = Number(r.logged[0]!.split(" ").at(-1));
    expect(loggedBytes).toBeGreaterThan(0);
    expect(loggedBytes).toBeLessThan(HUGE_SIZE);
  });

  it("leaks no file handle across many aborted downloads", async () => {
    running = await startServer();
    const r = running;
    const binary = join(r.fixture.root, "huge.bin");
    for (let i = 0; i < 20; i++) {
      const download = stalledDownload(r, "/huge.bin", 64 * 1024);
      await download.reached;
      download.socket.destroy();
    }
    expect(await waitFor(() => openHandles(binary) === 0, 5000)).toBe(true);
    // A client going away is normal: it is not reported as a server error.
    expect(r.errors).toEqual([]);
    // And the server still answers.
    expect(await (await fetch(`${r.base}/hello.txt`)).text()).toBe(HELLO);
  });
});

describe("chunk buffers read into again once written", () => {
  it("sends every byte, in order, to slow and fast readers at once, whole and in ranges", async () => {
    const r = await startServer({ chunkBytes: 256 * 1024 });
    running = r;
    const size = 5 * 1024 * 1024 + 123; // 20 full chunks and a short last one
    const bytes = Buffer.alloc(size);
    for (let i = 0; i + 4 <= size; i += 4) bytes.writeUInt32LE(i, i);
    writeFileSync(join(r.fixture.root, "counted.bin"), bytes);
    const whole = (await Promise.all(
      [0, 1, 2].map(async () =>
        Buffer.from(await (await fetch(`${r.base}/counted.bin`)).arrayBuffer()),
      ),
    )) as Buffer[];
    for (const body of whole) expect(body.equals(bytes)).toBe(true);
    // A reader that stops for a while, so writes wait for the socket to drain, then reads all.
    const socket = connect(r.port, "127.0.0.1");
    r.sockets.push(socket);
    const received: Buffer[] = [];
    let total = 0;
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      total += chunk.length;
      if (total >= 512 * 1024 && total - chunk.length < 512 * 1024) {
        socket.pause();
        setTimeout(() => socket.resume(), 200);
      }
    });
    socket.write("GET /counted.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    await new Promise((resolve) => socket.on("close", resolve));
    const all = Buffer.concat(received);
    const body = all.subarray(all.indexOf("\r\n\r\n") + 4);
    expect(body.length).toBe(size);
    expect(body.equals(bytes)).toBe(true);
    const ranged = await fetch(`${r.base}/counted.bin`, {
      headers: { range: `bytes=300000-${size - 2}` },
    });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(300000, size - 1))).toBe(
      true,
    );
  });
});

describe("a file that shrinks while it is sent", () => {
  it("ends the connection early instead of sending a short body as complete", async () => {
    running = await startServer({ chunkBytes: 64 * 1024 });
    const r = running;
    const path = join(r.fixture.root, "grow.bin");
    writeFileSync(path, Buffer.alloc(32 * 1024 * 1024, 7));
    const download = stalledDownload(r, "/grow.bin", 1024 * 1024);
    await download.reached;
    truncateSync(path, 2 * 1024 * 1024);
    const closed = new Promise<void>((resolve) => download.socket.on("close", () => resolve()));
    download.socket.resume();
    await closed;
    expect(download.received()).toBeLessThan(32 * 1024 * 1024);
    expect(r.errors.map((e) => (e as { code?: string }).code)).toEqual(["WW_STATIC_FILE_CHANGED"]);
    // The server goes on serving.
    expect(await (await fetch(`${r.base}/hello.txt`)).text()).toBe(HELLO);
  });
});

const hasCurl =
  IN_CI ||
  (await run("curl", ["--version"]).then(
    () => true,
    () => false,
  ));

describe.skipIf(!hasCurl)("with curl", () => {
  it("serves ranges, refuses traversal sent as-is, and speaks gzip", async () => {
    running = await startServer();
    const r = running;
    const range = await run("curl", ["-s", "-r", "0-4", `${r.base}/hello.txt`]);
    expect(range.stdout).toBe("hello");
    for (const path of ["/../outside/secret.txt", "/%2e%2e/outside/secret.txt", "/link-out.txt"]) {
      const { stdout } = await run("curl", ["-s", "-i", "--path-as-is", `${r.base}${path}`]);
      expect(stdout).toMatch(/^HTTP\/1\.1 40[034] /);
      expect(stdout).not.toContain(SECRET);
    }
    const gz = await run("curl", [
      "-s",
      "-i",
      "-H",
      "Accept-Encoding: gzip",
      "--compressed",
      `${r.base}/app.js`,
    ]);
    expect(gz.stdout).toContain("Content-Encoding: gzip");
    expect(gz.stdout.endsWith(r.fixture.appJs)).toBe(true);
    const head = await run("curl", ["-s", "-I", `${r.base}/huge.bin`]);
    expect(head.stdout).toContain(`Content-Length: ${HUGE_SIZE}`);
  });
});
