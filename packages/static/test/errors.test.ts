import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { StaticError, type StaticErrorCode } from "../src/index.js";

/** The catalog as the README documents it: code -> status. */
const CATALOG: Record<StaticErrorCode, number> = {
  WW_STATIC_BAD_ROOT: 500,
  WW_STATIC_UNREADABLE: 403,
  WW_STATIC_FILE_CHANGED: 500,
  WW_STATIC_IO: 500,
};

const codes = Object.keys(CATALOG) as StaticErrorCode[];

describe("StaticError", () => {
  it.each(codes)("%s answers its documented status", (code) => {
    const cause = new Error("underneath");
    const error = new StaticError(code, "what went wrong", { cause });
    expect(error.code).toBe(code);
    expect(error.status).toBe(CATALOG[code]);
    expect(error.name).toBe("StaticError");
    expect(error.message).toBe("what went wrong");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(StaticError.is(error)).toBe(true);
  });

  it("has exactly the catalog's codes, each with the package prefix", async () => {
    const { STATIC_ERROR_STATUS } = await import("../src/errors.js");
    expect(STATIC_ERROR_STATUS).toEqual(CATALOG);
    for (const code of codes) expect(code).toMatch(/^WW_STATIC_[A-Z0-9_]+$/);
  });

  it("carries the file system path it is about", () => {
    expect(new StaticError("WW_STATIC_UNREADABLE", "x", { path: "/srv/a" }).path).toBe("/srv/a");
    expect(new StaticError("WW_STATIC_IO", "x").path).toBeUndefined();
  });

  it("is() tells its errors from look-alikes", () => {
    const lookAlike = Object.assign(new Error("x"), {
      name: "StaticError",
      code: codes[0],
      status: 403,
    });
    for (const value of [lookAlike, new Error("x"), null, undefined, "StaticError", 400, {}]) {
      expect(StaticError.is(value)).toBe(false);
      expect(value instanceof StaticError).toBe(false);
    }
  });

  it("is() and instanceof accept an error from a second copy of the package", async () => {
    // A query makes the loader evaluate the file again: a second class, as a second install would.
    const duplicate = "../src/errors.js?duplicate";
    vi.resetModules();
    const copy = (await import(/* @vite-ignore */ duplicate)) as typeof import("../src/errors.js");
    expect(copy.StaticError).not.toBe(StaticError);
    const foreign = new copy.StaticError(codes[0]!, "from the other copy");
    expect(StaticError.is(foreign)).toBe(true);
    expect(foreign instanceof StaticError).toBe(true);
    expect(copy.StaticError.is(new StaticError(codes[0]!, "from this copy"))).toBe(true);
  });

  it("the brand is the documented global symbol", () => {
    const imitation = Object.create({ [Symbol.for("@wireweb/static:StaticError")]: true });
    expect(StaticError.is(imitation)).toBe(true);
    // The brand lives on the prototype: it stays out of JSON and own keys.
    const error = new StaticError(codes[0]!, "x");
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
