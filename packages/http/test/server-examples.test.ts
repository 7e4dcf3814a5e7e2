import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Runs an example with tsx and fetches `/` once it answers (bounded: 15 s). */
async function runExample(file: string): Promise<{ response: Response; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", `examples/${file}`], {
    cwd: packageDir,
    env: { ...process.env, PORT: String(port) },
    stdio: "ignore",
  });
  children.push(child);
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return { response: await fetch(`http://localhost:${port}/`), child };
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
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
