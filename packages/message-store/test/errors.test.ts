import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { MessageStoreError, type MessageStoreErrorCode } from "../src/index.js";

/** The catalog as the README documents it: code -> status. */
const CATALOG: Record<MessageStoreErrorCode, number> = {
  WW_STORE_CORRUPT: 500,
  WW_STORE_UNSUPPORTED_VERSION: 500,
  WW_STORE_LOCKED: 503,
  WW_STORE_NO_SPACE: 503,
  WW_STORE_WRITE_FAILED: 503,
  WW_STORE_READ_ONLY: 503,
  WW_STORE_CLOSED: 503,
  WW_STORE_MESSAGE_TOO_LARGE: 413,
  WW_STORE_INVALID_CURSOR: 400,
  WW_STORE_IO: 500,
  WW_STORE_NOT_A_FILE: 500,
  WW_STORE_UNAVAILABLE: 503,
};

const codes = Object.keys(CATALOG) as MessageStoreErrorCode[];

describe("MessageStoreError", () => {
  it.each(codes)("%s answers its documented status", (code) => {
    const cause = new Error("underneath");
    const error = new MessageStoreError(code, "what went wrong", { cause });
    expect(error.code).toBe(code);
    expect(error.status).toBe(CATALOG[code]);
    expect(error.name).toBe("MessageStoreError");
    expect(error.message).toBe("what went wrong");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(MessageStoreError.is(error)).toBe(true);
  });

  it("has exactly the catalog's codes, each with the package prefix", async () => {
    const { MESSAGE_STORE_ERROR_STATUS } = await import("../src/errors.js");
    expect(MESSAGE_STORE_ERROR_STATUS).toEqual(CATALOG);
    for (const code of codes) expect(code).toMatch(/^WW_STORE_[A-Z0-9_]+$/);
  });

  it("is() tells its errors from look-alikes", () => {
    const lookAlike = Object.assign(new Error("x"), {
      name: "MessageStoreError",
      code: codes[0],
      status: 400,
    });
    for (const value of [
      lookAlike,
      new Error("x"),
      null,
      undefined,
      "MessageStoreError",
      400,
      {},
    ]) {
      expect(MessageStoreError.is(value)).toBe(false);
      expect(value instanceof MessageStoreError).toBe(false);
    }
  });

  it("is() and instanceof accept an error from a second copy of the package", async () => {
    // A query makes the loader evaluate the file again: a second class, as a second install would.
    const duplicate = "../src/errors.js?duplicate";
    vi.resetModules();
    const copy = (await import(/* @vite-ignore */ duplicate)) as typeof import("../src/errors.js");
    expect(copy.MessageStoreError).not.toBe(MessageStoreError);
    const foreign = new copy.MessageStoreError(codes[0]!, "from the other copy");
    expect(MessageStoreError.is(foreign)).toBe(true);
    expect(foreign instanceof MessageStoreError).toBe(true);
    expect(copy.MessageStoreError.is(new MessageStoreError(codes[0]!, "from this copy"))).toBe(
      true,
    );
  });

  it("the brand is the documented global symbol", () => {
    const imitation = Object.create({
      [Symbol.for("@wireweb/message-store:MessageStoreError")]: true,
    });
    expect(MessageStoreError.is(imitation)).toBe(true);
    // The brand lives on the prototype: it stays out of JSON and own keys.
    const error = new MessageStoreError(codes[0]!, "x");
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
