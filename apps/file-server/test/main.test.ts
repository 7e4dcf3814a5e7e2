import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Runs the built CLI; resolves with its output once it exits. */
function runCli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => {
    stdout += d;
  });
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL printed: ${stdout} ${stderr}`)),
      10_000,
    );
    child.stdout!.on("data", () => {
      const match = /http:\/\/[^\s/]+:\d+\//.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.on("exit", () => clearTimeout(timer));
  });
  url.catch(() => {});
  return { child, exited, url, output: () => ({ stdout, stderr }) };
}

describe("the file-server command", () => {
  it("serves the bundled demo site by default, logs each request, and stops on SIGTERM", async () => {
    const cli = runCli(["--port", "0", "--host", "127.0.0.1"]);
    const url = await cli.url;
    expect(cli.output().stdout).toMatch(
      /^Serving \/.+\/public\/? at http:\/\/127\.0\.0\.1:\d+\/$/m,
    );
    const index = await fetch(`${url}`);
    expect(index.status).toBe(200);
    const html = await index.text();
    expect(html).toContain("This is the index page for our tiny site.");
    expect(html).toContain('href="page.html"');
    const page = await (await fetch(`${url}page.html`)).text();
    expect(page).toContain('href="index.html"');
    expect(page).toContain('src="picture.png"');
    const picture = await fetch(`${url}picture.png`);
    expect(picture.headers.get("content-type")).toBe("image/png");
    expect(
      Buffer.from(await picture.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    const missing = await fetch(`${url}nope.html`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("Not found");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.output().stdout).toMatch(/"GET \/ HTTP\/1\.1" 200 \d+/);
  });

  it("takes ROOT, PORT and HOST from the environment, and --quiet silences the log", async () => {
    const root = fileURLToPath(new URL("../public/", import.meta.url));
    const cli = runCli(["--quiet"], { ROOT: root, PORT: "0", HOST: "127.0.0.1" });
    const url = await cli.url;
    expect((await fetch(`${url}page.html`)).status).toBe(200);
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
    expect(cli.output().stdout).not.toContain('"GET');
  });

  it("prints help and exits 0; a bad flag exits 2 with the usage", async () => {
    const help = runCli(["--help"]);
    expect(await help.exited).toBe(0);
    expect(help.output().stdout).toContain("--root DIR");
    const bad = runCli(["--port", "nope"]);
    expect(await bad.exited).toBe(2);
    expect(bad.output().stderr).toContain('invalid port "nope"');
    expect(bad.output().stderr).toContain("Usage:");
    const missingRoot = runCli(["--root", "/definitely/not/here"]);
    expect(await missingRoot.exited).toBe(2);
    expect(missingRoot.output().stderr).toContain("does not exist");
  });

  it("--dev checks the disk on every request: an edit shows at the very next one", async () => {
    const root = mkdtempSync(join(tmpdir(), "file-server-dev-"));
    const file = join(root, "note.txt");
    const writeOld = (text: string, ageMs: number) => {
      writeFileSync(file, text);
      const past = new Date(Date.now() - ageMs);
      utimesSync(file, past, past);
    };
    try {
      writeOld("first", 60_000);
      const cli = runCli(["--root", root, "--port", "0", "--host", "127.0.0.1", "--dev"]);
      const url = await cli.url;
      expect(await (await fetch(`${url}note.txt`)).text()).toBe("first");
      expect(await (await fetch(`${url}note.txt`)).text()).toBe("first");
      // Same size and an old date: without --dev this is served from memory for up to 500 ms.
      writeOld("again", 30_000);
      expect(await (await fetch(`${url}note.txt`)).text()).toBe("again");
      cli.child.kill("SIGINT");
      expect(await cli.exited).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("takes a relative --root from where the user typed `pnpm --filter file-server start`", async () => {
    // pnpm runs the script in the app's folder and says in INIT_CWD where the user was.
    const typedIn = mkdtempSync(join(tmpdir(), "file-server-cwd-"));
    mkdirSync(join(typedIn, "site"));
    writeFileSync(join(typedIn, "site", "index.html"), "<p>the user's own site</p>\n");
    try {
      const cli = runCli(
        ["--root", "./site", "--port", "0", "--host", "127.0.0.1"],
        { npm_lifecycle_event: "start", INIT_CWD: typedIn },
        fileURLToPath(new URL("..", import.meta.url)),
      );
      const url = await cli.url;
      expect(cli.output().stdout).toContain(`Serving ${join(typedIn, "site")} at ${url}`);
      expect(await (await fetch(url)).text()).toBe("<p>the user's own site</p>\n");
      cli.child.kill("SIGINT");
      expect(await cli.exited).toBe(0);
    } finally {
      rmSync(typedIn, { recursive: true, force: true });
    }
  });
});
