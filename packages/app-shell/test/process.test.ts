import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { SAME_SIGNAL_MS } from "../src/index.js";
import { FIXTURE_APP, get, isAlive, killStarted, run, runFixture } from "./helpers.js";

afterEach(killStarted);

const URL_LINE = /Open your browser and connect to: http:\/\/127\.0\.0\.1:(\d+)\//;

async function startFixture(args: string[] = [], env: Record<string, string> = {}) {
  const app = runFixture(["--host", "127.0.0.1", "--port", "0", ...args], env);
  const port = Number((await app.waitFor(URL_LINE))[1]);
  return { app, port };
}

describe("start-up", () => {
  it("--help prints every flag, the app's and the shell's, and exits 0", async () => {
    const app = runFixture(["--help"]);
    expect(await app.exited).toEqual({ code: 0, signal: null });
    for (const flag of [
      "--port N",
      "--host H",
      "--one-writer",
      "--site DIR",
      "--tls-cert FILE",
      "--tls-key FILE",
      "--redirect-http PORT",
      "--workers N",
      "--quiet",
      "--help",
    ]) {
      expect(app.output()).toContain(flag);
    }
  });

  it("--help wins over a mistake next to it", async () => {
    const app = runFixture(["--bogus", "--help"]);
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.output()).toMatch(/^Usage: pnpm --filter fixture start/);
  });

  it("a mistake is one line and the usage line on stderr, exit code 2", async () => {
    const app = runFixture(["--prot", "80"]);
    expect(await app.exited).toEqual({ code: 2, signal: null });
    expect(app.output()).toBe(
      "fixture: unknown flag --prot (did you mean --port?)\nUsage: pnpm --filter fixture start [-- options]   (--help lists every option)\n",
    );
  });

  it("a port in use is one clear line and exit code 1", async () => {
    const { port } = await startFixture();
    const second = runFixture(["--host", "127.0.0.1", "--port", String(port)]);
    expect(await second.exited).toEqual({ code: 1, signal: null });
    expect(second.output()).toBe(
      `fixture: cannot listen on 127.0.0.1:${port}: the port is already in use (try another --port, or stop what holds it)\n`,
    );
  });

  it("an app refuses a combination with exit code 2 (one writer, --workers 2)", async () => {
    const app = runFixture(["--one-writer", "--workers", "2"]);
    expect(await app.exited).toEqual({ code: 2, signal: null });
    expect(app.output()).toMatch(/^fixture: --workers 2: this app has one writer\n/);
  });

  it("resolves a relative path flag against INIT_CWD under a package script", async () => {
    const { port } = await startFixture(["--site", "./site"], {
      npm_lifecycle_event: "start",
      INIT_CWD: "/home/someone/project",
    });
    expect(JSON.parse((await get(port, "/")).body).site).toBe("/home/someone/project/site");
  });
});

describe("graceful shutdown", () => {
  it("says what it waits for, lets the requests finish, and exits 0", async () => {
    const { app, port } = await startFixture();
    const slow = [get(port, "/slow?ms=1500"), get(port, "/slow?ms=1500")];
    await sleep(300);
    app.child.kill("SIGINT");
    await app.waitFor(/SIGINT: stopping; waiting for 2 requests; Ctrl-C again to force\n/);
    const answers = await Promise.all(slow);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await app.exited).toEqual({ code: 0, signal: null });
  });

  it("ends live streams first and says so apart from the requests it waits for", async () => {
    const { app, port } = await startFixture();
    const stream = get(port, "/stream");
    const slow = get(port, "/slow?ms=1500");
    await sleep(300);
    app.child.kill("SIGINT");
    await app.waitFor(
      /SIGINT: stopping; closing 1 live stream, waiting for 1 request; Ctrl-C again to force\n/,
    );
    expect(await stream).toMatchObject({ status: 200, body: "open\ndrained\n" });
    expect((await slow).status).toBe(200);
    expect(await app.exited).toEqual({ code: 0, signal: null });
  });

  it("with nothing in flight, just stops", async () => {
    const { app } = await startFixture();
    app.child.kill("SIGTERM");
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.output()).toMatch(/\nSIGTERM: stopping\n$/);
  });

  it("takes signals that arrive together as one Ctrl-C (the terminal's and pnpm's)", async () => {
    const { app, port } = await startFixture();
    const slow = get(port, "/slow?ms=1500");
    await sleep(300);
    app.child.kill("SIGINT");
    app.child.kill("SIGINT");
    app.child.kill("SIGTERM");
    expect((await slow).status).toBe(200);
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.output()).not.toContain("again: stopping now");
  });

  it("a second Ctrl-C forces: exit 130 at once", async () => {
    const { app, port } = await startFixture();
    const slow = get(port, "/slow?ms=20000").catch((error: Error) => error);
    await sleep(300);
    app.child.kill("SIGINT");
    await app.waitFor(/waiting for 1 request; Ctrl-C again to force/);
    await sleep(SAME_SIGNAL_MS + 200);
    app.child.kill("SIGINT");
    expect(await app.exited).toEqual({ code: 130, signal: null });
    expect(app.output()).toContain("SIGINT again: stopping now (was waiting for 1 request)");
    expect(await slow).toBeInstanceOf(Error);
  });

  it("Ctrl-C under `pnpm start` ends without pnpm's ELIFECYCLE error", async () => {
    // A terminal's Ctrl-C: SIGINT to every process of the foreground group (pnpm and the app).
    const pnpm = run("pnpm", ["start", "--host", "127.0.0.1", "--port", "0"], {
      cwd: fileURLToPath(new URL("./fixtures/pnpm-start/", import.meta.url)),
      detached: true,
    });
    const port = Number((await pnpm.waitFor(URL_LINE, 15_000))[1]);
    expect((await get(port, "/")).status).toBe(200);
    process.kill(-pnpm.child.pid!, "SIGINT");
    expect(await pnpm.exited).toEqual({ code: 0, signal: null });
    expect(pnpm.output()).toContain("SIGINT: stopping");
    expect(pnpm.output()).not.toMatch(/ELIFECYCLE|Command failed|ERR_PNPM/);
  });
});

describe("--workers", () => {
  it("runs N processes on one port and replaces one that dies", async () => {
    const app = runFixture(["--host", "127.0.0.1", "--port", "0", "--workers", "2"]);
    const port = Number((await app.waitFor(URL_LINE))[1]);
    await app.waitFor(/2 workers share the port \(node:cluster\); pid \d+ is the primary\./);
    const pidsSeen = async (count: number) => {
      const pids = new Set<number>();
      for (let i = 0; i < count; i++) pids.add(JSON.parse((await get(port, "/")).body).pid);
      return pids;
    };
    // The primary hands connections out round-robin; wait until both workers listen.
    let pids = new Set<number>();
    for (let i = 0; i < 20 && pids.size < 2; i++) pids = await pidsSeen(6);
    expect(pids.size).toBe(2);
    expect(pids.has(app.child.pid!)).toBe(false);

    const [victim] = [...pids];
    process.kill(victim!, "SIGKILL");
    // The line for the replacement comes after the one for the death (the second of the first
    // two workers says "is serving" too).
    const replaced = new RegExp(
      `worker \\d+ \\(pid ${victim}\\) was killed by SIGKILL; starting another\n(?:.*\n)*?worker \\d+ \\(pid (\\d+)\\) is serving\n`,
    );
    const replacement = Number((await app.waitFor(replaced))[1]);
    expect(replacement).not.toBe(victim);
    let after = new Set<number>();
    for (let i = 0; i < 20 && after.size < 2; i++) after = await pidsSeen(6);
    expect(after.size).toBe(2);
    expect(after.has(victim!)).toBe(false);
    expect(after.has(replacement)).toBe(true);

    app.child.kill("SIGINT");
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.output()).toContain(
      "SIGINT: stopping; waiting for 2 workers to finish their requests",
    );
    for (const pid of after) expect(isAlive(pid)).toBe(false);
  });

  it("a worker that cannot listen ends the run with its message, not a restart loop", async () => {
    const { port } = await startFixture();
    const app = runFixture(["--host", "127.0.0.1", "--port", String(port), "--workers", "2"]);
    expect((await app.exited).code).toBe(1);
    expect(app.output()).toContain(
      `cannot listen on 127.0.0.1:${port}: the port is already in use`,
    );
    expect(app.output()).not.toContain("starting another");
  });
});

export { FIXTURE_APP };
