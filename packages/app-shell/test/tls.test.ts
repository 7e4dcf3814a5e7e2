import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type TLSSocket } from "node:tls";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { killStarted, runFixture } from "./helpers.js";

// HTTPS through the shell's flags on the engine's TLS (createServer's `tls`, setSecureContext),
// with certificates made by the openssl CLI (CI installs it: .ci/run).

afterEach(killStarted);
const folder = mkdtempSync(join(tmpdir(), "app-shell-tls-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Pem {
  cert: Buffer;
  key: Buffer;
}

/** A P-256 key and a self-signed certificate for 127.0.0.1, valid one day, named `name`. */
function makeCertificate(name: string): Pem {
  const cert = join(folder, `${name}.cert.pem`);
  const key = join(folder, `${name}.key.pem`);
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
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      `/CN=${name}`,
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

const first = makeCertificate("first");
const second = makeCertificate("second");

/** Files the app is started with; the test rewrites them before a SIGHUP. */
function serveFiles(pem: Pem): { certFile: string; keyFile: string } {
  const dir = mkdtempSync(join(folder, "serve-"));
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  writeFileSync(certFile, pem.cert);
  writeFileSync(keyFile, pem.key);
  return { certFile, keyFile };
}

const HTTPS_LINE = /Open your browser and connect to: https:\/\/127\.0\.0\.1:(\d+)\/\n/;
const REDIRECT_LINE = /Plain HTTP on http:\/\/127\.0\.0\.1:(\d+)\/ answers 308 to it\.\n/;

/** A GET over a fresh TLS connection trusting both test certificates; says which one it saw. */
function getHttps(port: number, path = "/") {
  return new Promise<{ status: number; hsts: unknown; body: string; peer: string }>(
    (resolve, reject) => {
      const req = httpsRequest(
        {
          host: "127.0.0.1",
          port,
          path,
          agent: false,
          ca: [first.cert, second.cert],
          headers: { connection: "close" },
        },
        (res) => {
          const peer = String((res.socket as TLSSocket).getPeerCertificate().subject.CN);
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => {
            body += chunk;
          });
          res.on("end", () =>
            resolve({
              status: res.statusCode!,
              hsts: res.headers["strict-transport-security"],
              body,
              peer,
            }),
          );
        },
      );
      req.on("error", reject);
      req.end();
    },
  );
}

function plainRequest(port: number, method: string, path: string, host: string | undefined) {
  return new Promise<{ status: number; location: unknown }>((resolve, reject) => {
    const headers: Record<string, string> = { connection: "close" };
    if (host !== undefined) headers.host = host;
    const req = httpRequest(
      { host: "127.0.0.1", port, method, path, agent: false, headers },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode!, location: res.headers.location }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Sends one request on an open TLS connection and reads the status line. */
function requestOn(socket: TLSSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (data: Buffer) => {
      text += data.toString("latin1");
      if (text.includes("\r\n\r\n")) {
        socket.off("data", onData);
        resolve(text.slice(0, text.indexOf("\r\n")));
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  });
}

describe("--tls-cert and --tls-key", () => {
  it("serve HTTPS with HSTS, print an https:// URL, and --redirect-http answers 308", async () => {
    const { certFile, keyFile } = serveFiles(first);
    const app = runFixture([
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--tls-cert",
      certFile,
      "--tls-key",
      keyFile,
      "--redirect-http",
      "0",
    ]);
    const port = Number((await app.waitFor(HTTPS_LINE))[1]);
    const redirectPort = Number((await app.waitFor(REDIRECT_LINE))[1]);

    const answer = await getHttps(port);
    expect(answer).toMatchObject({ status: 200, hsts: "max-age=31536000", peer: "first" });
    expect(JSON.parse(answer.body).secure).toBe(true);

    const cases: Array<[string, string, string | undefined, string]> = [
      [
        "GET",
        "/page.html?x=1&y=%20",
        `127.0.0.1:${redirectPort}`,
        `https://127.0.0.1:${port}/page.html?x=1&y=%20`,
      ],
      ["POST", "/", "example.test", `https://example.test:${port}/`],
      ["HEAD", "/a", `[::1]:${redirectPort}`, `https://[::1]:${port}/a`],
    ];
    for (const [method, path, host, location] of cases) {
      expect(await plainRequest(redirectPort, method, path, host)).toEqual({
        status: 308,
        location,
      });
    }
  });

  it("reload on SIGHUP without dropping open connections; a bad file keeps the old certificate", async () => {
    const { certFile, keyFile } = serveFiles(first);
    const app = runFixture([
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--tls-cert",
      certFile,
      "--tls-key",
      keyFile,
    ]);
    const port = Number((await app.waitFor(HTTPS_LINE))[1]);
    expect((await getHttps(port)).peer).toBe("first");

    const open = connect({ host: "127.0.0.1", port, ca: [first.cert], servername: "localhost" });
    await new Promise<void>((resolve, reject) =>
      open.once("secureConnect", resolve).once("error", reject),
    );
    expect(await requestOn(open)).toBe("HTTP/1.1 200 OK");

    writeFileSync(certFile, second.cert);
    writeFileSync(keyFile, second.key);
    app.child.kill("SIGHUP");
    await app.waitFor(new RegExp(`SIGHUP: reloaded ${certFile} and ${keyFile}\\n`));
    expect((await getHttps(port)).peer).toBe("second");
    // The connection made before the reload goes on with its certificate.
    expect(await requestOn(open)).toBe("HTTP/1.1 200 OK");
    open.destroy();

    writeFileSync(keyFile, first.key); // no longer the certificate's key
    app.child.kill("SIGHUP");
    await app.waitFor(
      /SIGHUP: kept the certificate in use: cannot use .* with .*: the key does not belong to the certificate\n/,
    );
    expect((await getHttps(port)).peer).toBe("second");
    app.child.kill("SIGTERM");
    expect((await app.exited).code).toBe(0);
  });

  it("with --workers, a SIGHUP to the primary reloads every worker", async () => {
    const { certFile, keyFile } = serveFiles(first);
    const app = runFixture([
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--tls-cert",
      certFile,
      "--tls-key",
      keyFile,
      "--workers",
      "2",
    ]);
    const port = Number((await app.waitFor(HTTPS_LINE))[1]);
    await app.waitFor(/worker \d+ \(pid \d+\) is serving\n/);
    writeFileSync(certFile, second.cert);
    writeFileSync(keyFile, second.key);
    app.child.kill("SIGHUP");
    await app.waitFor(/(worker \d+: SIGHUP: reloaded [^\n]*\n[\s\S]*){2}/);
    for (let i = 0; i < 4; i++) expect((await getHttps(port)).peer).toBe("second");
  });

  it.each([
    [
      ["--tls-cert", "CERT", "--tls-key", "OTHER_KEY"],
      /: the key does not belong to the certificate\n$/,
    ],
    [
      ["--tls-cert", "/nowhere/cert.pem", "--tls-key", "KEY"],
      /cannot read --tls-cert \/nowhere\/cert\.pem: no such file\n$/,
    ],
    [
      ["--tls-cert", "KEY_AS_CERT", "--tls-key", "KEY"],
      /one of them is not a PEM certificate or key/,
    ],
  ])("refuses bad files at start with one line and exit 1: %j", async (args, message) => {
    const { certFile, keyFile } = serveFiles(first);
    const other = serveFiles(second);
    const names: Record<string, string> = {
      CERT: certFile,
      KEY: keyFile,
      OTHER_KEY: other.keyFile,
      KEY_AS_CERT: keyFile,
    };
    const app = runFixture(["--port", "0", ...args.map((arg) => names[arg] ?? arg)]);
    expect(await app.exited).toEqual({ code: 1, signal: null });
    expect(app.output()).toMatch(/^fixture: /);
    expect(app.output()).toMatch(message);
    expect(app.output().split("\n").length).toBe(2);
  });

  it("sends no Strict-Transport-Security over plain HTTP", async () => {
    const app = runFixture(["--host", "127.0.0.1", "--port", "0"]);
    const port = Number((await app.waitFor(/http:\/\/127\.0\.0\.1:(\d+)\//))[1]);
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      httpRequest({ host: "127.0.0.1", port, agent: false }, (res) => {
        res.resume();
        resolve(res.headers);
      })
        .on("error", reject)
        .end();
    });
    expect(headers["strict-transport-security"]).toBeUndefined();
  });
});
