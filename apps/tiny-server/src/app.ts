import type { Handler } from "@wireweb/http";
import { renderRequestPage } from "./page.js";

export interface TinyHandlerOptions {
  /** Prints each request's raw head as received (the chapter prints what `recv` returned). */
  log?: (text: string) => void;
  /** Largest request body the page will show; larger bodies get 413. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Ask the server to close the connection after this response (`--once`). */
  closeAfterResponse?: boolean;
}

/**
 * Creates the tiny server's handler: every request, whatever its method or path, is answered
 * with a page that says hello and shows the request it received.
 */
export function createTinyHandler(options: TinyHandlerOptions = {}): Handler {
  const { log, maxBodyBytes = 64 * 1024, closeAfterResponse = false } = options;
  return async (request, response) => {
    log?.(
      Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength).toString(
        "latin1",
      ),
    );
    const body = await request.body({ limit: maxBodyBytes });
    response.setHeader("Content-Type", "text/html; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    if (closeAfterResponse) response.setHeader("Connection", "close");
    await response.end(renderRequestPage(request, body));
  };
}
