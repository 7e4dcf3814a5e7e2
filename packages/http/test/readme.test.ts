import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { makeCredentials } from "./tls-helpers.js";

// Runs every ```ts block of the README, each in its own process against the source, so the
// examples cannot rot. Servers listen on port 0 instead of the README's 8080/8443 (the system
// picks a free port), print the URL they listen on, and are asked for "/" once.
const here = fileURLToPath(new URL(".", import.meta.url));
const readme = readFileSync(join(here, "..", "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const source = pathToFileURL(join(here, "..", "src", "index.ts")).href;
const scratch = mkdtempSync(join(here, ".readme-"));
// The TLS example reads these from its working directory.
const credentials = makeCredentials();
writeFileSync(join(scratch, "localhost-key.pem"), credentials.key);
writeFileSync(join(scratch, "localhost.pem"), credentials.cert);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Killed once all are done: the tests run side by side.
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

interface Outcome {
  /** The URL the example printed, if it listens. */
  url?: string;
  /** The exit code, if it ended by itself. */
  code?: number | null;
  stderr: string;
}

/** Starts block `i`; resolves when it prints a URL, exits, or has run 15 s without either. */
function runBlock(i: number, code: string): Promise<Outcome> {
  const file = join(scratch, `block-${i}.ts`);
  writeFileSync(
    file,
    code.replaceAll('"@wireweb/http"', JSON.stringify(source)).replace(/\b(8080|8443)\b/g, "0"),
  );
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: scratch,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ stderr }), 15_000);
    child.stdout!.on("data", (chunk: string) => {
      stdout += chunk;
      const url = /listening on (https?:\/\/localhost:\d+\/)/.exec(stdout)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stderr });
      }
    });
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve({ code: exitCode, stderr });
    });
  });
}

/** GET `url` (a self-signed certificate is fine: the point is that the example answers). */
function get(url: string): Promise<number> {
  if (url.startsWith("http:")) return fetch(url).then((response) => response.status);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca: credentials.cert }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("README examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });

  // Side by side: most of each run is starting tsx.
  it.concurrent.each(blocks.map((code, i) => [i + 1, code] as const))(
    "block %i runs",
    async (i, code) => {
      const outcome = await runBlock(i, code);
      expect(outcome.stderr).toBe("");
      if (/\.listen\(|serveForever/.test(code)) {
        // A server: it says where it listens, and answers there.
        expect(outcome.url).toMatch(/^https?:\/\/localhost:[1-9]\d*\/$/);
        expect(await get(outcome.url!)).toBeLessThan(300);
      } else {
        expect(outcome.code).toBe(0);
      }
    },
    30_000,
  );
});
