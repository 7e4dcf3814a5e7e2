import type { HttpResponse } from "@wireweb/http";
import type { BoardError } from "./errors.js";
import { renderErrorPage } from "./render.js";

/**
 * Headers on every response. The CSP forbids inline script and style, so a message that slipped
 * past escaping still could not run; `nosniff` stops browsers guessing types.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};

/** Sends a complete HTML page. */
export async function sendHtml(
  response: HttpResponse,
  status: number,
  html: string,
): Promise<void> {
  response.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
  });
  await response.end(html);
}

/** Sends a JSON value. */
export async function sendJson(
  response: HttpResponse,
  status: number,
  value: unknown,
): Promise<void> {
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
  });
  await response.end(JSON.stringify(value));
}

/** Sends a 303 See Other to `location` (Post/Redirect/Get: a reload then GETs the board). */
export async function sendSeeOther(response: HttpResponse, location: string): Promise<void> {
  response.writeHead(303, { Location: location, "Content-Type": "text/plain; charset=utf-8" });
  await response.end(`See ${location}\n`);
}

/** Sends `error` as a page (`json` false) or as `{ "error": { "code", "message" } }`. */
export async function sendError(
  response: HttpResponse,
  error: BoardError,
  json: boolean,
): Promise<void> {
  if (error.code === "ERR_METHOD_NOT_ALLOWED" && error.allow !== undefined) {
    response.setHeader("Allow", error.allow);
  }
  if (json) {
    await sendJson(response, error.status, { error: { code: error.code, message: error.message } });
  } else {
    await sendHtml(response, error.status, renderErrorPage(error.status, error.message));
  }
}
