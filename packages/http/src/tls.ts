import type { Socket } from "node:net";
import {
  createServer as createTlsServer,
  type SecureContextOptions,
  type TLSSocket,
  type TlsOptions,
  type Server as TlsServer,
} from "node:tls";

/**
 * The only protocol offered in ALPN (RFC 7301): this engine speaks HTTP/1.1 and nothing else,
 * so offering "h2" would make browsers send HTTP/2 frames it cannot read.
 */
const ALPN = ["http/1.1"];

/**
 * The TLS side of a server: a `tls.Server` that never listens. The engine's own TCP listener
 * hands it each accepted socket, so node:tls does the handshake (client certificates, SNI,
 * session resumption, everything its options offer) while the engine keeps the clock: the
 * handshake gets at most the head deadline, and what it used is taken from the head's budget.
 */
export class TlsTerminator {
  readonly #server: TlsServer;
  /** TCP connections still in their handshake, and when each was accepted, by "address port". */
  readonly #handshaking = new Map<string, { raw: Socket; acceptedAt: number }>();
  readonly #onGone: () => void;

  /**
   * @param onSecure called with each socket whose handshake succeeded and the time its TCP
   *   connection was accepted.
   */
  constructor(
    options: TlsOptions,
    handshakeMs: number,
    onSecure: (socket: TLSSocket, acceptedAt: number) => void,
    onGone: () => void,
  ) {
    this.#onGone = onGone;
    if (typeof options !== "object" || options === null) {
      throw new TypeError("tls options must be an object with key and cert");
    }
    this.#server = createTlsServer({
      ...options,
      ALPNProtocols: ALPN,
      ALPNCallback: undefined,
      handshakeTimeout: handshakeMs,
    });
    this.#server.on("secureConnection", (socket: TLSSocket) => {
      const key = keyOf(socket);
      const acceptedAt = this.#handshaking.get(key)?.acceptedAt ?? Date.now();
      this.#handshaking.delete(key);
      onSecure(socket, acceptedAt);
    });
    // A failed handshake (a plain-HTTP client, a bad certificate, the deadline) is the
    // client's problem: nothing to report, only the socket to close (with a listener here,
    // node:tls leaves that to us).
    this.#server.on("tlsClientError", (_error, socket) => socket.destroy());
  }

  /** Starts the TLS handshake on an accepted TCP socket. */
  accept(raw: Socket): void {
    const key = keyOf(raw);
    this.#handshaking.set(key, { raw, acceptedAt: Date.now() });
    raw.once("close", () => {
      if (this.#handshaking.delete(key)) this.#onGone();
    });
    this.#server.emit("connection", raw);
  }

  /** Connections still in their TLS handshake. */
  get handshaking(): number {
    return this.#handshaking.size;
  }

  /** Server shutdown: a connection that has not finished its handshake has asked nothing. */
  destroyHandshaking(): void {
    for (const { raw } of this.#handshaking.values()) raw.destroy();
  }

  /** Swaps the certificate (and any other context option) for handshakes from now on. */
  setSecureContext(options: SecureContextOptions): void {
    this.#server.setSecureContext(options);
  }
}

const keyOf = (socket: Socket) => `${socket.remoteAddress} ${socket.remotePort}`;
