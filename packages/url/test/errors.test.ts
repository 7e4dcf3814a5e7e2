import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { UrlError, type UrlErrorCode } from "../src/index.js";

/** The catalog as the README documents it: code -> status. */
const CATALOG: Record<UrlErrorCode, number> = {
  WW_URL_INVALID_TARGET: 400,
  WW_URL_INVALID_PATH: 400,
  WW_URL_BAD_ESCAPE: 400,
  WW_URL_INVALID_UTF8: 400,
  WW_URL_NUL_BYTE: 400,
  WW_URL_CONTROL_CHAR: 400,
  WW_URL_ENCODED_SEPARATOR: 403,
  WW_URL_BACKSLASH: 403,
  WW_URL_COLON: 403,
  WW_URL_TRAVERSAL: 403,
  WW_URL_INVALID_URL: 400,
  WW_URL_UNSUPPORTED_SCHEME: 400,
};

const codes = Object.keys(CATALOG) as UrlErrorCode[];

describe("UrlError", () => {
  it.each(codes)("%s answers its documented status", (code) => {
    const cause = new Error("underneath");
    const error = new UrlError(code, "what went wrong", { cause });
    expect(error.code).toBe(code);
    expect(error.status).toBe(CATALOG[code]);
    expect(error.name).toBe("UrlError");
    expect(error.message).toBe("what went wrong");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(UrlError.is(error)).toBe(true);
  });

  it("has exactly the catalog's codes, each with the package prefix", async () => {
    const { URL_ERROR_STATUS } = await import("../src/errors.js");
    expect(URL_ERROR_STATUS).toEqual(CATALOG);
    for (const code of codes) expect(code).toMatch(/^WW_URL_[A-Z0-9_]+$/);
  });

  it("is() tells its errors from look-alikes", () => {
    const lookAlike = Object.assign(new Error("x"), {
      name: "UrlError",
      code: codes[0],
      status: 400,
    });
    for (const value of [lookAlike, new Error("x"), null, undefined, "UrlError", 400, {}]) {
      expect(UrlError.is(value)).toBe(false);
      expect(value instanceof UrlError).toBe(false);
    }
  });

  it("is() and instanceof accept an error from a second copy of the package", async () => {
    // A query makes the loader evaluate the file again: a second class, as a second install would.
    const duplicate = "../src/errors.js?duplicate";
    vi.resetModules();
    const copy = (await import(/* @vite-ignore */ duplicate)) as typeof import("../src/errors.js");
    expect(copy.UrlError).not.toBe(UrlError);
    const foreign = new copy.UrlError(codes[0]!, "from the other copy");
    expect(UrlError.is(foreign)).toBe(true);
    expect(foreign instanceof UrlError).toBe(true);
    expect(copy.UrlError.is(new UrlError(codes[0]!, "from this copy"))).toBe(true);
  });

  it("the brand is the documented global symbol", () => {
    const imitation = Object.create({ [Symbol.for("@wireweb/url:UrlError")]: true });
    expect(UrlError.is(imitation)).toBe(true);
    // The brand lives on the prototype: it stays out of JSON and own keys.
    const error = new UrlError(codes[0]!, "x");
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
