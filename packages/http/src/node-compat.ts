import { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { HttpRequest } from "./types.js";

/**
 * A node:http `IncomingMessage` carrying `request`'s method, target, version and headers, for
 * libraries written against node:http that only read the head, such as the `ws` package's
 * `handleUpgrade` in an `onUpgrade` hook. Repeated fields are joined with ", " (`set-cookie`
 * stays a list), names lower-cased, as node:http does. The body is not connected.
 *
 * @example
 * const wss = new WebSocketServer({ noServer: true });
 * createServer(handler, {
 *   onUpgrade(request, socket, head) {
 *     wss.handleUpgrade(toIncomingMessage(request, socket), socket, head, (ws) => ws.send("hi"));
 *   },
 * });
 */
export function toIncomingMessage(request: HttpRequest, socket: Socket): IncomingMessage {
  const message = new IncomingMessage(socket);
  message.method = request.method;
  message.url = request.target;
  message.httpVersion = request.versionMinor === 0 ? "1.0" : "1.1";
  message.httpVersionMajor = 1;
  message.httpVersionMinor = request.versionMinor === 0 ? 0 : 1;
  const headers: Record<string, string | string[]> = {};
  const raw: string[] = [];
  for (const [name, value] of request.headers) {
    raw.push(name, value);
    const key = name.toLowerCase();
    const known = headers[key];
    if (key === "set-cookie") headers[key] = [...((known as string[] | undefined) ?? []), value];
    else headers[key] = known === undefined ? value : `${known as string}, ${value}`;
  }
  message.headers = headers;
  message.rawHeaders = raw;
  message.complete = true;
  return message;
}
