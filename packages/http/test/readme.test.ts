import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { makeCredentials } from "./tls-helpers.js";

// Runs every ```ts block of the README, each in its own plain `node` process against the built
// package (dist/, as users get it; turbo builds it before this test), so the examples cannot
// rot. TypeScript's transpileModule strips the types (tsx would cost seconds per process).
// Servers listen on port 0 instead of the README's 8080/8443 (the system picks a free port),
// print the URL they listen on, and are asked for "/" once.
const here = fileURLToPath(new URL(".", import.meta.url));
const readme = readFileSync(join(here, "..", "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const built = pathToFileURL(join(here, "..", "dist", "index.js")).href;
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

/** Starts block `i`; resolves when it prints a URL, exits, or has run 30 s without either. */
function runBlock(i: number, code: string): Promise<Outcome> {
  const file = join(scratch, `block-${i}.mjs`);
  const program = code
    .replaceAll('"@wireweb/http"', JSON.stringify(built))
    .replace(/\b(8080|8443)\b/g, "0");
  const { outputText } = ts.transpileModule(program, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  writeFileSync(file, outputText);
  const child = spawn(process.execPath, [file], {
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
    const timer = setTimeout(() => resolve({ stderr }), 30_000);
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
    60_000,
  );
});
