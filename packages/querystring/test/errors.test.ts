import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { QueryStringError, type QueryStringErrorCode } from "../src/index.js";

/** The catalog as the README documents it: code -> status. */
const CATALOG: Record<QueryStringErrorCode, number> = {
  WW_QS_TOO_MANY_FIELDS: 413,
  WW_QS_BAD_FIELD: 400,
};

const codes = Object.keys(CATALOG) as QueryStringErrorCode[];

describe("QueryStringError", () => {
  it.each(codes)("%s answers its documented status", (code) => {
    const cause = new Error("underneath");
    const error = new QueryStringError(code, "what went wrong", { cause });
    expect(error.code).toBe(code);
    expect(error.status).toBe(CATALOG[code]);
    expect(error.name).toBe("QueryStringError");
    expect(error.message).toBe("what went wrong");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(QueryStringError.is(error)).toBe(true);
  });

  it("has exactly the catalog's codes, each with the package prefix", async () => {
    const { QUERY_STRING_ERROR_STATUS } = await import("../src/errors.js");
    expect(QUERY_STRING_ERROR_STATUS).toEqual(CATALOG);
    for (const code of codes) expect(code).toMatch(/^WW_QS_[A-Z0-9_]+$/);
  });

  it("is() tells its errors from look-alikes", () => {
    const lookAlike = Object.assign(new Error("x"), {
      name: "QueryStringError",
      code: codes[0],
      status: 400,
    });
    for (const value of [lookAlike, new Error("x"), null, undefined, "QueryStringError", 400, {}]) {
      expect(QueryStringError.is(value)).toBe(false);
      expect(value instanceof QueryStringError).toBe(false);
    }
  });

  it("is() and instanceof accept an error from a second copy of the package", async () => {
    // A query makes the loader evaluate the file again: a second class, as a second install would.
    const duplicate = "../src/errors.js?duplicate";
    vi.resetModules();
    const copy = (await import(/* @vite-ignore */ duplicate)) as typeof import("../src/errors.js");
    expect(copy.QueryStringError).not.toBe(QueryStringError);
    const foreign = new copy.QueryStringError(codes[0]!, "from the other copy");
    expect(QueryStringError.is(foreign)).toBe(true);
    expect(foreign instanceof QueryStringError).toBe(true);
    expect(copy.QueryStringError.is(new QueryStringError(codes[0]!, "from this copy"))).toBe(true);
  });

  it("the brand is the documented global symbol", () => {
    const imitation = Object.create({
      [Symbol.for("@wireweb/querystring:QueryStringError")]: true,
    });
    expect(QueryStringError.is(imitation)).toBe(true);
    // The brand lives on the prototype: it stays out of JSON and own keys.
    const error = new QueryStringError(codes[0]!, "x");
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
