import { describe, expect, it } from "vitest";
import * as http from "../src/index.js";

describe("public surface", () => {
  it("exports the server, the fetch adapter, the parser, the base handler, the cookie helpers and the defaults", () => {
    expect(Object.keys(http).sort()).toMatchInlineSnapshot(`
      [
        "BaseHTTPRequestHandler",
        "DEFAULT_LIMITS",
        "DEFAULT_MAX_CONNECTIONS",
        "DEFAULT_MIN_DATA_RATE",
        "DEFAULT_PARSER_LIMITS",
        "DEFAULT_TIMEOUTS",
        "HTTPServer",
        "HttpError",
        "RequestParser",
        "STATUS_CODES",
        "createFetchServer",
        "createServer",
        "handlerFromClass",
        "parseCookies",
        "serializeCookie",
        "statusText",
        "toHandler",
        "toIncomingMessage",
      ]
    `);
  });

  it("has one defaults object per group, frozen", () => {
    expect(http.DEFAULT_LIMITS).toEqual({
      maxLineBytes: 8192,
      maxHeaderBytes: 16384,
      maxHeaderCount: 100,
      maxBodyBytes: 1048576,
    });
    expect(http.DEFAULT_TIMEOUTS).toEqual({ headersMs: 10_000, idleMs: 5_000, bodyMs: 30_000 });
    expect(Object.isFrozen(http.DEFAULT_LIMITS)).toBe(true);
    expect(Object.isFrozen(http.DEFAULT_TIMEOUTS)).toBe(true);
    expect(http.DEFAULT_MIN_DATA_RATE).toEqual({ bytesPerSecond: 240, graceMs: 5_000 });
    expect(Object.isFrozen(http.DEFAULT_MIN_DATA_RATE)).toBe(true);
    expect(http.DEFAULT_MAX_CONNECTIONS).toBe(10_000);
    expect(http.statusText(418)).toBe("");
    expect(http.statusText(431)).toBe("Request Header Fields Too Large");
  });
});
