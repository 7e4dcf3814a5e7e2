import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const children: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(
    children.splice(0).map((child) => {
      if (child.exitCode !== null) return undefined;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      return exited;
    }),
  );
});

/**
 * Runs an example with tsx on port 0 (the system picks a free one: no port is guessed, so two
 * runs cannot race for it), reads the URL it prints, and fetches `/` (bounded: 15 s).
 */
async function runExample(file: string): Promise<{ response: Response; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", `examples/${file}`], {
    cwd: packageDir,
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 15_000);
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      output += chunk;
      const found = /Serving on (http:\/\/localhost:\d+\/)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing a URL: ${output}`));
    });
  });
  expect(url).not.toBe("http://localhost:0/");
  return { response: await fetch(url), child };
}

describe("examples", () => {
  it.each(["chapter.ts", "hello.ts", "hono.ts"])(
    "%s serves the hello page and stops on SIGINT",
    async (file) => {
      const { response, child } = await runExample(file);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await response.text()).toBe("<html><body><h1>hello</h1></body></html>");
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      expect(await exited).toBe(0);
    },
    20_000,
  );
});
