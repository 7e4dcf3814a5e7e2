import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { apiJson, cleanUp, postForm, tempFolder } from "./helpers.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await cleanUp();
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH, TZ: "UTC", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (data: Buffer) => {
    output += data.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${pattern} in ${JSON.stringify(output)}`)),
        10_000,
      );
      const check = () => {
        const match = output.match(pattern);
        if (match) {
          clearTimeout(timer);
          listeners.delete(check);
          resolve(match);
        }
      };
      listeners.add(check);
      check();
    });
  return { child, output: () => output, exited, waitFor };
}

/**
 * Mounts a fresh 256 KiB tmpfs and returns its folder (unmounted after the test), or is
 * undefined where mounting is not allowed (not root, or a container without CAP_SYS_ADMIN).
 */
const mountTmpfs: (() => string) | undefined = (() => {
  const probe = mkdtempSync(join(tmpdir(), "board-tmpfs-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=4k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe]);
  } catch {
    console.warn("full-disk test skipped: cannot mount a tmpfs here");
    return undefined;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
  return () => {
    const folder = tempFolder();
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", folder]);
    mounts.push(folder);
    return folder;
  };
})();
const mounts: string[] = [];
afterEach(() => {
  for (const folder of mounts.splice(0)) execFileSync("umount", ["-l", folder]);
});

/** Fills the file system holding `file` until a write fails with ENOSPC. */
function fillUp(file: string): void {
  const fd = openSync(file, "w");
  try {
    for (let i = 0; i < 1024; i++) writeSync(fd, Buffer.alloc(4096, 0x2e));
    throw new Error("the tmpfs never filled up");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  } finally {
    closeSync(fd);
  }
}

const URL_LINE = /Open your browser and connect to: http:\/\/127\.0\.0\.1:(\d+)\/\n/;

async function startApp(file: string, extra: string[] = []) {
  const app = run(["--port", "0", "--host", "127.0.0.1", "--data", file, ...extra]);
  const port = Number((await app.waitFor(URL_LINE))[1]);
  return { app, url: `http://127.0.0.1:${port}` };
}

describe("message-board CLI", () => {
  it("prints its options with --help and exits 0", async () => {
    const app = run(["--help"]);
    expect(await app.exited).toBe(0);
    for (const flag of [
      "--port N",
      "--host H",
      "--data FILE",
      "--admin-password-file FILE",
      "--tz ZONE",
      "--quiet",
      "--help",
    ]) {
      expect(app.output()).toContain(flag);
    }
  });

  it.each([[["--bogus"]], [["--port", "x"]], [["--tz", "Mars/Base"]]])(
    "refuses %j with the usage and exit code 2",
    async (args) => {
      const app = run(args);
      expect(await app.exited).toBe(2);
      expect(app.output()).toMatch(/^message-board: /);
      expect(app.output()).toContain("Usage:");
    },
  );

  it("takes PORT, HOST and MESSAGES_FILE from the environment", async () => {
    const file = join(tempFolder(), "env.log");
    const app = run([], { PORT: "0", HOST: "127.0.0.1", MESSAGES_FILE: file });
    const port = Number((await app.waitFor(URL_LINE))[1]);
    expect((await postForm(`http://127.0.0.1:${port}/`, { message: "via env" })).status).toBe(303);
    expect(readFileSync(file, "utf8")).toContain("via env");
  });

  it("keeps messages across a graceful restart, and logs one line per request", async () => {
    const file = join(tempFolder(), "board.log");
    const first = await startApp(file);
    expect((await postForm(`${first.url}/`, { message: "survives restarts" })).status).toBe(303);
    await first.app.waitFor(/POST \/ 303/);
    first.app.child.kill("SIGTERM");
    expect(await first.app.exited).toBe(0);
    const second = await startApp(file, ["--quiet"]);
    expect(await (await fetch(`${second.url}/`)).text()).toContain("survives restarts");
    expect(second.app.output()).not.toMatch(/GET \/ 200/);
  });

  it("refuses to start on a corrupt data file, with the store's error and a hint, and leaves it untouched", async () => {
    const file = join(tempFolder(), "corrupt.log");
    const first = await startApp(file);
    await postForm(`${first.url}/`, { message: "first" });
    await postForm(`${first.url}/`, { message: "second" });
    first.app.child.kill("SIGTERM");
    await first.app.exited;
    const good = readFileSync(file, "utf8");
    // Flip a letter inside the first record: a complete line whose checksum no longer matches.
    writeFileSync(file, good.replace('"text":"first"', '"text":"firsT"'));
    const hash = createHash("sha256").update(readFileSync(file)).digest("hex");
    const app = run(["--port", "0", "--data", file]);
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/corrupt|checksum/i);
    expect(app.output()).toMatch(/message-board: cannot open .*corrupt\.log/);
    expect(app.output()).toContain("left untouched");
    expect(app.output()).toContain("--data OTHER_FILE");
    expect(app.output()).not.toContain("Open your browser");
    expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(hash);
  });

  // Issue 16: TZ=:/etc/localtime (containers, systemd), a misspelt zone or an empty TZ= made the
  // board say "times shown in undefined" and answer 500, or crash.
  it.each([
    [":/etc/localtime", undefined],
    ["Europe/Berlinn", 'TZ="Europe/Berlinn" is not a time zone this runtime knows'],
    ["", "TZ is set but empty"],
  ])(
    "starts and serves with TZ=%j, in UTC with a warning when it names no zone",
    async (tz, reason) => {
      const app = run(
        ["--port", "0", "--host", "127.0.0.1", "--data", join(tempFolder(), "tz.log")],
        {
          TZ: tz,
        },
      );
      const port = Number((await app.waitFor(URL_LINE))[1]);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toContain("undefined");
      expect(app.output()).not.toContain("undefined");
      if (reason === undefined) {
        expect(app.output()).not.toContain("warning");
      } else {
        await app.waitFor(/message-board: warning: /); // stderr may trail the URL line on stdout
        expect(app.output()).toContain(
          `message-board: warning: ${reason}; showing times in UTC (set --tz, e.g. --tz Europe/Berlin)`,
        );
        expect(app.output()).toContain("times shown in UTC.");
        expect(html).toContain("Times are shown in UTC.");
      }
    },
  );

  it("names --tz the way the page does (europe/berlin is Europe/Berlin)", async () => {
    const { app, url } = await startApp(join(tempFolder(), "zone.log"), ["--tz", "europe/berlin"]);
    expect(app.output()).toContain("times shown in Europe/Berlin.");
    expect(await (await fetch(`${url}/`)).text()).toContain("Times are shown in Europe/Berlin.");
  });

  it("refuses --data /dev/null with what is wrong and what to do, creating nothing in /dev", async () => {
    const app = run(["--port", "0", "--data", "/dev/null"]);
    expect(await app.exited).toBe(1);
    expect(app.output()).toBe(
      "message-board: cannot open /dev/null: message store /dev/null is a device; the log must be a regular file (it is created if missing)\n" +
        "Give --data the path of a file (it is created if missing), e.g. --data ./messages.log.\n",
    );
    expect(existsSync("/dev/null.lock")).toBe(false);
  });

  // Issue 16 item 4 on a real full disk (a 256 KiB tmpfs; mounting needs root, else skipped).
  it.skipIf(mountTmpfs === undefined)(
    "on a full disk: 503 keeping the draft, ENOSPC said once on the console, posts again once there is room",
    async () => {
      const folder = mountTmpfs!();
      const file = join(folder, "board.log");
      const { app, url } = await startApp(file, ["--quiet"]);
      const filler = join(folder, "filler");
      fillUp(filler);
      const text = "x".repeat(700);
      let refused: Response | undefined;
      for (let i = 0; i < 50 && refused === undefined; i++) {
        const answer = await postForm(`${url}/`, { message: `${i} ${text}` });
        if (answer.status !== 303) refused = answer;
      }
      expect(refused?.status).toBe(503);
      expect(refused?.headers.get("retry-after")).toBe("30");
      const html = await refused!.text();
      expect(html).toContain("Not saved: the board&#39;s disk is full. Please try again later.");
      expect(html).toMatch(new RegExp(`\\d+ ${text}</textarea>`));
      expect((await postForm(`${url}/`, { message: `again ${text}` })).status).toBe(503);
      const warnings = app.output().match(/warning: .*ENOSPC.*/g) ?? [];
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("the disk is full (ENOSPC: no space left on device");
      unlinkSync(filler);
      expect((await postForm(`${url}/`, { message: "room again" })).status).toBe(303);
      await app.waitFor(/warning: message store .*: writes succeed again\n/);
      app.child.kill("SIGTERM");
      expect(await app.exited).toBe(0);
    },
  );

  it("keeps every post it answered 303 when it is killed mid-load (SIGKILL)", async () => {
    const file = join(tempFolder(), "killed.log");
    const first = await startApp(file, ["--quiet"]);
    const acked: string[] = [];
    let killed = false;
    // 16 posters in parallel until the kill; every text they got a 303 for must survive.
    const posters = Array.from({ length: 16 }, async (_, poster) => {
      for (let i = 0; i < 1000 && !killed; i++) {
        const text = `poster ${poster} message ${i}`;
        try {
          const response = await postForm(`${first.url}/`, { message: text });
          if (response.status === 303) acked.push(text);
        } catch {
          return; // the connection died with the process
        }
      }
    });
    for (let i = 0; i < 200 && acked.length < 300; i++) await sleep(10);
    first.app.child.kill("SIGKILL");
    killed = true;
    await Promise.all(posters);
    await first.app.exited;
    expect(acked.length).toBeGreaterThan(0);
    const second = await startApp(file, ["--quiet"]);
    const stored = await apiJson(await fetch(`${second.url}/api/messages?limit=100000`));
    const texts = new Set(stored.messages.map((m) => m.text));
    expect(acked.filter((text) => !texts.has(text))).toEqual([]);
  });

  it("takes the administrator from --admin-password-file or ADMIN_PASSWORD, and says who may clear", async () => {
    const folder = tempFolder();
    const passwordFile = join(folder, "admin-password");
    writeFileSync(passwordFile, "a long enough passphrase\n");
    const fromFile = await startApp(join(folder, "a.log"), ["--admin-password-file", passwordFile]);
    expect(fromFile.app.output()).toContain("Only the administrator may clear the board");
    const refused = await postForm(`${fromFile.url}/login`, {
      password: "a long enough passphrase\n",
    });
    expect(refused.status).toBe(401);
    const login = await postForm(`${fromFile.url}/login`, { password: "a long enough passphrase" });
    expect(login.status).toBe(303);
    expect(login.headers.get("set-cookie")).toMatch(/^board-session=/);

    const fromEnv = run(["--port", "0", "--host", "127.0.0.1", "--data", join(folder, "b.log")], {
      ADMIN_PASSWORD: "short",
    });
    const port = Number((await fromEnv.waitFor(URL_LINE))[1]);
    // The warning goes to stderr, which may arrive after the URL line on stdout.
    await fromEnv.waitFor(/warning: the admin password has 5 characters/);
    const bearer = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: "DELETE",
      headers: { authorization: "Bearer short" },
    });
    expect(bearer.status).toBe(200);

    // Loopback only and no password: the chapter's board, and it says so.
    const open = await startApp(join(folder, "c.log"));
    expect(open.app.output()).toContain("Anyone who can open the board may clear it");
  });

  it.each([
    [
      "a missing password file",
      ["--admin-password-file", "/nonexistent/pw"],
      {},
      /cannot read the admin password file/,
    ],
    ["an empty ADMIN_PASSWORD", [], { ADMIN_PASSWORD: "" }, /ADMIN_PASSWORD is set but empty/],
  ])("refuses to start with %s (exit 2)", async (_name, args, env, message) => {
    const app = run(
      ["--port", "0", "--host", "127.0.0.1", "--data", join(tempFolder(), "x.log"), ...args],
      env,
    );
    expect(await app.exited).toBe(2);
    expect(app.output()).toMatch(message);
    expect(app.output()).not.toContain("Open your browser");
  });

  it("refuses a second board on the same file", async () => {
    const file = join(tempFolder(), "locked.log");
    await startApp(file);
    const second = run(["--port", "0", "--data", file]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain("Another message board is using this file");
  });
});
