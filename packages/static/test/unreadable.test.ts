import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type Fixture, makeFixture } from "./fixture.js";

// Issue 16, item 9: an unreadable file or root was a 404 with nothing logged. Now a path that
// exists but may not be read is a 403, reported through onError with its code and path.
// Root ignores file modes through CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so when the tests
// run as root (CI containers) the server runs in a child process that setpriv(1) starts without
// those two capabilities: still uid 0, so it can reach the repo, node and the loader wherever they
// live (a "nobody" child could not, under /root), but file modes apply to it as to anyone.

const TSX = join(
  dirname(createRequire(import.meta.url).resolve("tsx/package.json")),
  "dist/loader.mjs",
);
const CHILD = fileURLToPath(new URL("child-server.ts", import.meta.url));
const WITHOUT_DAC_OVERRIDE =
  process.getuid?.() === 0
    ? [
        "setpriv",
        "--inh-caps=-dac_override,-dac_read_search",
        "--bounding-set=-dac_override,-dac_read_search",
      ]
    : [];

interface Child {
  process: ChildProcess;
  port: number;
  events: Record<string, unknown>[];
}

let fixture: Fixture | undefined;
let child: Child | undefined;
afterEach(() => {
  child?.process.kill();
  child = undefined;
  if (fixture) {
    chmodSync(fixture.root, 0o755);
    for (const path of ["locked", "locked.txt", "locked-dir"]) {
      try {
        chmodSync(join(fixture.root, path), 0o755);
      } catch {}
    }
    fixture.remove();
  }
  fixture = undefined;
});

/** Starts the child server; resolves once it listens, or with its fatal event. */
function startChild(root: string, options: Record<string, unknown> = {}): Promise<Child> {
  return new Promise((resolve, reject) => {
    const command = [
      ...WITHOUT_DAC_OVERRIDE,
      process.execPath,
      "--import",
      TSX,
      CHILD,
      root,
      JSON.stringify(options),
    ];
    const proc = spawn(command[0]!, command.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
    const events: Record<string, unknown>[] = [];
    let buffered = "";
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error("child server did not start")), 40_000);
    proc.on("error", fail);
    proc.on("close", (code, signal) => {
      if (child?.process !== proc) fail(new Error(`child server exited (${code ?? signal})`));
    });
    proc.stdout!.on("data", (data: Buffer) => {
      buffered += data;
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const event = JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>;
        buffered = buffered.slice(newline + 1);
        events.push(event);
        if (typeof event.port === "number" || event.fatal !== undefined) {
          clearTimeout(timer);
          child = { process: proc, port: Number(event.port), events };
          resolve(child);
        }
        newline = buffered.indexOf("\n");
      }
    });
  });
}

/** A fixture any child can walk (mkdtemp makes its base 0700), run as root or not. */
function openFixture(): Fixture {
  fixture = makeFixture();
  chmodSync(fixture.base, 0o755);
  return fixture;
}

async function waitForEvents(c: Child, count: number): Promise<void> {
  for (let i = 0; i < 100 && c.events.length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Each test starts one or two node processes with the TypeScript loader: seconds apiece on a
// loaded machine, so these tests get more time than the file's socket tests.
describe("files that exist but cannot be read", { timeout: 90_000 }, () => {
  it("answers an unreadable file or folder 403 and reports it with its code and path", async () => {
    const f = openFixture();
    writeFileSync(join(f.root, "locked.txt"), "no");
    chmodSync(join(f.root, "locked.txt"), 0o000);
    mkdirSync(join(f.root, "locked-dir"));
    writeFileSync(join(f.root, "locked-dir", "inner.txt"), "no");
    chmodSync(join(f.root, "locked-dir"), 0o000);
    const c = await startChild(f.root, { listing: true });
    const base = `http://127.0.0.1:${c.port}`;
    expect((await fetch(`${base}/hello.txt`)).status).toBe(200);
    for (const path of ["/locked.txt", "/locked-dir/inner.txt", "/locked-dir/"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(403);
      expect(await response.text(), path).toBe("403 Forbidden\n");
    }
    await waitForEvents(c, 4);
    const errors = c.events.slice(1).map((e) => e.error as Record<string, string>);
    expect(errors.map((e) => e.code)).toEqual([
      "WW_STATIC_UNREADABLE",
      "WW_STATIC_UNREADABLE",
      "WW_STATIC_UNREADABLE",
    ]);
    expect(errors[0]!.path).toBe(join(f.root, "locked.txt"));
    expect(errors[0]!.message).toMatch(/permission denied \(EACCES\)/);
    expect(errors[1]!.path).toBe(join(f.root, "locked-dir", "inner.txt"));
    // Still a 404, with nothing reported, for what is simply not there.
    expect((await fetch(`${base}/missing.txt`)).status).toBe(404);
    expect(c.events.length).toBe(4);
  });

  it("refuses to start on an unreadable root, and reports a root that becomes unreadable", async () => {
    const f = openFixture();
    writeFileSync(join(f.root, "index.html"), "<p>home</p>\n");
    chmodSync(f.root, 0o000);
    const refused = await startChild(f.root);
    expect(refused.events[0]!.fatal).toMatchObject({ code: "WW_STATIC_BAD_ROOT" });
    expect(JSON.stringify(refused.events[0])).toMatch(/cannot be read by this process \(EACCES\)/);
    chmodSync(f.root, 0o755);
    const c = await startChild(f.root, { revalidateMs: 0 });
    const base = `http://127.0.0.1:${c.port}`;
    expect((await fetch(`${base}/`)).status).toBe(200);
    chmodSync(f.root, 0o000);
    expect((await fetch(`${base}/`)).status).toBe(403);
    await waitForEvents(c, 2);
    expect(c.events[1]).toMatchObject({
      error: { code: "WW_STATIC_UNREADABLE", path: join(f.root, "index.html"), status: 403 },
    });
  });
});
