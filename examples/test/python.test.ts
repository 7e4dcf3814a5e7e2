import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// The Python originals run too (python3 is required: .ci/run installs it), on a port the
// system picks; each is asked for "/" once. They are for reading beside their twins; this
// keeps them honest.
const here = fileURLToPath(new URL("..", import.meta.url));
const folder = mkdtempSync(join(tmpdir(), "examples-python-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(folder, { recursive: true, force: true });
});

/** Starts `script` with PORT=0 and resolves with the URL it prints. */
function start(script: string): Promise<string> {
  const child = spawn("python3", [join(here, script)], {
    cwd: folder,
    env: { ...process.env, PORT: "0", MESSAGES_FILE: join(folder, `${script}.jsonl`) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no URL from ${script}: ${output}`)), 15_000);
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      output += chunk;
      const url = /on (http:\/\/localhost:\d+\/)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url.replace("localhost", "127.0.0.1"));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${output}`));
    });
  });
}

describe("the Python originals", () => {
  it.concurrent.each([
    ["one-shot.py", "<h1>hello</h1>"],
    ["hello-server.py", "<h1>hello</h1>"],
    ["file-server.py", "<h1>Hello from a file</h1>"],
    ["board.py", "<h1>Message Board</h1>"],
    ["persistent-board.py", "<h1>Message Board</h1>"],
  ])(
    "%s answers /",
    async (script, text) => {
      const url = await start(script);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(text);
    },
    30_000,
  );

  it("persistent-board.py keeps a posted message with its time", async () => {
    const url = await start("persistent-board.py");
    const posted = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "message=kept+%26+sound",
      redirect: "manual",
    });
    expect(posted.status).toBe(303);
    expect(await (await fetch(url)).text()).toMatch(/<li>kept &amp; sound <small>\d{4}-/);
  }, 30_000);
});
