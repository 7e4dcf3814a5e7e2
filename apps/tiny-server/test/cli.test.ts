import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH, ...env },
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
        8000,
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

function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (data) => {
      text += data.toString("latin1");
    });
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
    socket.write(bytes);
  });
}

describe("tiny-server CLI", () => {
  it("prints its options with --help and exits 0", async () => {
    const app = run(["--help"]);
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain("--once");
    expect(app.output()).toContain("--port N");
  });

  it("refuses an unknown flag with exit code 2", async () => {
    const app = run(["--bogus"]);
    expect(await app.exited).toBe(2);
    expect(app.output()).toMatch(/tiny-server: .*bogus/);
  });

  it("--once serves one connection, answers with Connection: close, and exits 0", async () => {
    const app = run(["--once", "--host", "127.0.0.1", "--port", "0"]);
    const [, port] = await app.waitFor(
      /Open your browser and connect to: http:\/\/127\.0\.0\.1:(\d+)/,
    );
    const reply = await rawRequest(Number(port), "GET /once HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(reply).toMatch(/\r\nconnection: close\r\n/i);
    expect(reply).toContain("hello from our tiny server");
    expect(await app.exited).toBe(0);
    expect(app.output()).toMatch(/Got connection from: 127\.0\.0\.1:\d+/);
    expect(app.output()).toContain("GET /once HTTP/1.1\r\nHost: localhost\r\n");
  });

  it("takes PORT and HOST from the environment, is quiet with QUIET=1, and stops on SIGTERM", async () => {
    const app = run(["--port", "0"], { HOST: "127.0.0.1", QUIET: "1" });
    const [, port] = await app.waitFor(/connect to: http:\/\/127\.0\.0\.1:(\d+)/);
    const reply = await rawRequest(
      Number(port),
      "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    expect(reply).toContain("hello from our tiny server");
    expect(app.output()).not.toContain("Got connection from");
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
  });
});
