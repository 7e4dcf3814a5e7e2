import { X509Certificate } from "node:crypto";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { describe, expect, it } from "vitest";
import { createServer } from "../src/server.js";
import type { Handler } from "../src/types.js";
import { get, RawClient, start, until } from "./server-helpers.js";
import { makeCredentials, TlsClient } from "./tls-helpers.js";

const first = makeCredentials("first");
const second = makeCredentials("second");
const fingerprint = (cert: Buffer) => new X509Certificate(cert).fingerprint256;

const echo: Handler = (request, response) =>
  response.end(`secure=${request.secure} path=${request.path}`);

describe("HTTPS", { timeout: 30_000 }, () => {
  it("serves a request over TLS with ALPN http/1.1 and request.secure", async () => {
    const { port } = await start(echo, { tls: first });
    const client = await TlsClient.connect(port, first.cert, { ALPNProtocols: ["h2", "http/1.1"] });
    expect(client.socket.alpnProtocol).toBe("http/1.1");
    client.write(get("/x"));
    const response = await client.response();
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("secure=true path=/x");
    // Keep-alive works over TLS: a second request on the same connection.
    client.write(get("/y"));
    expect((await client.response()).body.toString()).toBe("secure=true path=/y");
  });

  it("reports request.secure false on plain TCP", async () => {
    const { port } = await start(echo);
    const client = await RawClient.connect(port);
    client.write(get("/"));
    expect((await client.response()).body.toString()).toBe("secure=false path=/");
  });

  it("works with node's https client, verifying the certificate", async () => {
    const { port } = await start(echo, { tls: first });
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        { host: "127.0.0.1", port, path: "/node", ca: first.cert, servername: "localhost" },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(body).toBe("secure=true path=/node");
  });

  it("never selects h2: a client offering only h2 gets no HTTP/2", async () => {
    const { port } = await start(echo, { tls: first });
    const outcome = await new Promise<string>((resolve) => {
      const socket = tlsConnect({
        host: "127.0.0.1",
        port,
        servername: "localhost",
        ca: first.cert,
        ALPNProtocols: ["h2"],
      });
      socket.on("secureConnect", () => {
        resolve(`connected alpn=${socket.alpnProtocol}`);
        socket.destroy();
      });
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
    });
    // OpenSSL refuses the handshake with no_application_protocol (RFC 7301 §3.2).
    expect(outcome).toBe("error ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL");
  });

  it("drops a plain-HTTP client on the TLS port cleanly and keeps serving", async () => {
    const { port, server, errors } = await start(echo, { tls: first });
    const plain = await RawClient.connect(port);
    plain.write(get("/"));
    await plain.waitClosed(8000);
    expect(plain.buffered.toString("latin1")).not.toContain("secure=");
    await until(() => server.connections === 0);
    const client = await TlsClient.connect(port, first.cert);
    client.write(get("/after"));
    expect((await client.response()).body.toString()).toBe("secure=true path=/after");
    expect(errors).toEqual([]);
  });

  it.each([
    ["sends nothing", Buffer.alloc(0)],
    ["sends half a ClientHello", Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])],
  ])(
    "counts the handshake against the head deadline: a client that %s is cut",
    async (_name, bytes) => {
      const headersMs = 300;
      const { port, server } = await start(echo, { tls: first, timeouts: { headersMs } });
      const client = await RawClient.connect(port);
      const opened = Date.now();
      if (bytes.length > 0) client.write(bytes);
      await client.waitClosed(8000);
      const lived = Date.now() - opened;
      expect(lived).toBeGreaterThanOrEqual(headersMs - 20);
      expect(lived).toBeLessThan(headersMs + 5000);
      await until(() => server.connections === 0);
    },
  );

  it("answers 408 when the handshake and the head together take longer than headersMs", async () => {
    const headersMs = 600;
    const { port } = await start(echo, { tls: first, timeouts: { headersMs } });
    // Hold the TCP connection 400 ms before starting the handshake, then send the head slowly:
    // each part alone is within the deadline, together they are not.
    const tcp = connect(port, "127.0.0.1");
    await new Promise((resolve) => tcp.once("connect", resolve));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const client = await new Promise<TlsClient>((resolve, reject) => {
      const socket = tlsConnect({ socket: tcp, servername: "localhost", ca: first.cert });
      socket.once("secureConnect", () => resolve(TlsClient.from(socket)));
      socket.once("error", reject);
    });
    client.write("GET / HTTP/1.1\r\n");
    const response = await client.response(3000);
    expect(response.status).toBe(408);
  });

  it("swaps certificates with setSecureContext without dropping open connections", async () => {
    const { port, server } = await start(echo, { tls: first });
    const both = [first.cert, second.cert];
    const before = await TlsClient.connect(port, both);
    expect(before.socket.getPeerX509Certificate()?.fingerprint256).toBe(fingerprint(first.cert));
    before.write(get("/1"));
    expect((await before.response()).status).toBe(200);

    server.setSecureContext({ key: second.key, cert: second.cert });

    // The open connection goes on with its own session.
    before.write(get("/2"));
    expect((await before.response()).body.toString()).toBe("secure=true path=/2");
    // A new connection gets the new certificate.
    const after = await TlsClient.connect(port, both);
    expect(after.socket.getPeerX509Certificate()?.fingerprint256).toBe(fingerprint(second.cert));
    after.write(get("/3"));
    expect((await after.response()).body.toString()).toBe("secure=true path=/3");
  });

  it("refuses a mismatched key and cert at creation and setSecureContext on a plain server", () => {
    expect(() => createServer(echo, { tls: { key: second.key, cert: first.cert } })).toThrow();
    const plain = createServer(echo);
    expect(() => plain.setSecureContext({ key: first.key, cert: first.cert })).toThrow(TypeError);
    expect(() => createServer(echo, { tls: null as never })).toThrow(TypeError);
  });

  it("with requestCert, refuses a client without a trusted certificate", async () => {
    const clientCreds = makeCredentials("client");
    const { port } = await start(echo, {
      tls: { ...first, requestCert: true, ca: clientCreds.cert },
    });
    const trusted = await TlsClient.connect(port, first.cert, clientCreds);
    trusted.write(get("/c"));
    expect((await trusted.response()).status).toBe(200);

    const untrusted = await TlsClient.connect(port, first.cert).catch((error: Error) => error);
    if (untrusted instanceof TlsClient) {
      // TLS 1.3: the client finishes first and learns of the refusal when the server closes.
      untrusted.write(get("/c"));
      await untrusted.waitClosed(8000);
      await expect(untrusted.response(100)).rejects.toThrow();
    } else {
      expect(untrusted).toBeInstanceOf(Error);
    }
  });
});
