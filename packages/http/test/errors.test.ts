import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { HttpError, type HttpErrorCode } from "../src/index.js";

/** The catalog as the README documents it: code -> status. */
const CATALOG: Record<HttpErrorCode, number> = {
  WW_HTTP_INVALID_METHOD: 400,
  WW_HTTP_INVALID_TARGET: 400,
  WW_HTTP_INVALID_VERSION: 400,
  WW_HTTP_CONNECT_UNSUPPORTED: 501,
  WW_HTTP_UNSUPPORTED_VERSION: 505,
  WW_HTTP_LINE_TOO_LONG: 414,
  WW_HTTP_INVALID_HEADER_NAME: 400,
  WW_HTTP_INVALID_HEADER_VALUE: 400,
  WW_HTTP_OBS_FOLD: 400,
  WW_HTTP_BARE_CR: 400,
  WW_HTTP_BARE_LF: 400,
  WW_HTTP_HEADER_TOO_LARGE: 431,
  WW_HTTP_TOO_MANY_HEADERS: 431,
  WW_HTTP_MISSING_HOST: 400,
  WW_HTTP_INVALID_HOST: 400,
  WW_HTTP_INVALID_CONTENT_LENGTH: 400,
  WW_HTTP_CL_TE_CONFLICT: 400,
  WW_HTTP_INVALID_TRANSFER_ENCODING: 400,
  WW_HTTP_UNSUPPORTED_TRANSFER_ENCODING: 501,
  WW_HTTP_INVALID_CHUNK: 400,
  WW_HTTP_BODY_TOO_LARGE: 413,
  WW_HTTP_INCOMPLETE_MESSAGE: 400,
  WW_HTTP_INVALID_TRAILER: 400,
  WW_HTTP_TIMEOUT: 408,
  WW_HTTP_CONNECTION_CLOSED: 499,
};

const codes = Object.keys(CATALOG) as HttpErrorCode[];

describe("HttpError", () => {
  it.each(codes)("%s answers its documented status", (code) => {
    const cause = new Error("underneath");
    const error = new HttpError(code, "what went wrong", -1, { cause });
    expect(error.code).toBe(code);
    expect(error.status).toBe(CATALOG[code]);
    expect(error.name).toBe("HttpError");
    expect(error.message).toBe("what went wrong");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(HttpError.is(error)).toBe(true);
  });

  it("has exactly the catalog's codes, each with the package prefix", async () => {
    const { HTTP_ERROR_STATUS } = await import("../src/errors.js");
    expect(HTTP_ERROR_STATUS).toEqual(CATALOG);
    for (const code of codes) expect(code).toMatch(/^WW_HTTP_[A-Z0-9_]+$/);
  });

  it("is() tells its errors from look-alikes", () => {
    const lookAlike = Object.assign(new Error("x"), {
      name: "HttpError",
      code: codes[0],
      status: 400,
    });
    for (const value of [lookAlike, new Error("x"), null, undefined, "HttpError", 400, {}]) {
      expect(HttpError.is(value)).toBe(false);
      expect(value instanceof HttpError).toBe(false);
    }
  });

  it("is() and instanceof accept an error from a second copy of the package", async () => {
    // A query makes the loader evaluate the file again: a second class, as a second install would.
    const duplicate = "../src/errors.js?duplicate";
    vi.resetModules();
    const copy = (await import(/* @vite-ignore */ duplicate)) as typeof import("../src/errors.js");
    expect(copy.HttpError).not.toBe(HttpError);
    const foreign = new copy.HttpError(codes[0]!, "from the other copy", -1);
    expect(HttpError.is(foreign)).toBe(true);
    expect(foreign instanceof HttpError).toBe(true);
    expect(copy.HttpError.is(new HttpError(codes[0]!, "from this copy", -1))).toBe(true);
  });

  it("the brand is the documented global symbol", () => {
    const imitation = Object.create({ [Symbol.for("@wireweb/http:HttpError")]: true });
    expect(HttpError.is(imitation)).toBe(true);
    // The brand lives on the prototype: it stays out of JSON and own keys.
    const error = new HttpError(codes[0]!, "x", -1);
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
  });

  it("the README's error catalog lists exactly these codes and statuses", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const rows = [...readme.matchAll(/^\| `(WW_[A-Z0-9_]+)` \| (\d{3}) \|/gm)];
    expect(Object.fromEntries(rows.map(([, code, status]) => [code, Number(status)]))).toEqual(
      CATALOG,
    );
    expect(rows).toHaveLength(codes.length);
  });
});
