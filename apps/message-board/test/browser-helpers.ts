import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";

// End to end with Debian's Chromium driven by Playwright. Without Chromium the browser tests
// skip locally and fail in CI (CI=true), where the CI script installs it.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const IN_CI = process.env.CI === "true";
/** Whether browser tests run here (they skip without Chromium, except in CI). */
export const RUN_BROWSER_TESTS = HAVE_CHROMIUM || IN_CI;
const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

if (!RUN_BROWSER_TESTS) {
  console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
}

/** The built board, running as a child process. */
export interface App {
  child: ChildProcess;
  port: number;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts the built board on 127.0.0.1 and waits for its URL line. */
export function startApp(
  file: string,
  port: number,
  extra: { args?: string[]; env?: Record<string, string> } = {},
): Promise<App> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        MAIN,
        "--port",
        String(port),
        "--host",
        "127.0.0.1",
        "--data",
        file,
        "--tz",
        "UTC",
        "--quiet",
        ...(extra.args ?? []),
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH, ...extra.env } },
    );
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no URL line: ${output}`)), 10_000);
    const onData = (data: Buffer) => {
      output += data;
      const match = /connect to: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          port: Number(match[1]),
          output: () => output,
          stop: async () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`board exited ${code}: ${output}`));
    });
  });
}

/** A fresh Chromium profile in `folder` (its own cookie jar: one "browser"). */
export function launchBrowser(folder: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(folder, {
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}
