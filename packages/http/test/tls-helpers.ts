import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type TLSSocket } from "node:tls";
import { afterEach } from "vitest";
import { parseResponse, type WireResponse } from "./server-helpers.js";

/** A key and a self-signed certificate for localhost and 127.0.0.1, made with the openssl CLI. */
export interface Credentials {
  key: Buffer;
  cert: Buffer;
}

/**
 * Makes a fresh P-256 key and certificate valid one day. openssl is required: CI installs it
 * (.ci/run), and a missing binary fails the test rather than skipping it.
 */
export function makeCredentials(commonName = "localhost"): Credentials {
  const dir = mkdtempSync(join(tmpdir(), "wireweb-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-days",
        "1",
        "-subj",
        `/CN=${commonName}`,
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    return {
      key: readFileSync(join(dir, "key.pem")),
      cert: readFileSync(join(dir, "cert.pem")),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sockets: TLSSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

/** A TLS client that verifies the server against `ca` and reads responses off the wire. */
export class TlsClient {
  readonly socket: TLSSocket;
  #buffer = Buffer.alloc(0);
  #closed = false;
  #waiters: Array<() => void> = [];

  private constructor(socket: TLSSocket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake();
    });
    socket.on("close", () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on("error", () => {});
  }

  /** Wraps a socket whose handshake is done. */
  static from(socket: TLSSocket): TlsClient {
    sockets.push(socket);
    return new TlsClient(socket);
  }

  static connect(
    port: number,
    ca: Buffer | Buffer[],
    extra: { ALPNProtocols?: string[]; cert?: Buffer; key?: Buffer } = {},
  ): Promise<TlsClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port, servername: "localhost", ca, ...extra });
      sockets.push(socket);
      socket.once("secureConnect", () => resolve(new TlsClient(socket)));
      socket.once("error", reject);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(data: string): void {
    this.socket.write(Buffer.from(data, "latin1"));
  }

  async response(timeoutMs = 3000): Promise<WireResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = parseResponse(this.#buffer, false, this.#closed);
      if (parsed) {
        this.#buffer = this.#buffer.subarray(parsed.used);
        return parsed.response;
      }
      if (this.#closed) throw new Error(`closed; got ${this.#buffer.toString("latin1")}`);
      await this.#wait(deadline);
    }
  }

  async waitClosed(ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.#closed) await this.#wait(deadline);
  }

  #wait(deadline: number): Promise<void> {
    const left = deadline - Date.now();
    if (left <= 0) return Promise.reject(new Error("timed out waiting for the server"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for the server")), left);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}
