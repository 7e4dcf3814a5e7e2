import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createStaticHandler, StaticError, type StaticOptions } from "../src/index.js";

const HERE = fileURLToPath(new URL(".", import.meta.url));

describe("createStaticHandler misuse", () => {
  it("refuses a root that is missing or not a directory with WW_STATIC_BAD_ROOT", () => {
    for (const root of ["/definitely/not/here", `${HERE}fixture.ts`]) {
      let caught: unknown;
      try {
        createStaticHandler(root);
      } catch (error) {
        caught = error;
      }
      expect(StaticError.is(caught), root).toBe(true);
      expect((caught as StaticError).code).toBe("WW_STATIC_BAD_ROOT");
      expect((caught as StaticError).status).toBe(500);
    }
    expect(() => createStaticHandler("")).toThrow(TypeError);
  });

  it.each([
    [{ maxAge: -1 }],
    [{ maxAge: 1.5 }],
    [{ immutable: true }],
    [{ dotfiles: "sometimes" as StaticOptions["dotfiles"] }],
    [{ index: "a/index.html" }],
    [{ index: "" }],
    [{ chunkBytes: 0 }],
    [{ cacheFileBytes: -1 }],
    [{ cacheBytes: Number.NaN }],
    [{ cacheEntries: 1.5 }],
    [{ revalidateMs: -1 }],
  ] as StaticOptions[][])("refuses %j", (options) => {
    expect(() => createStaticHandler(HERE, options)).toThrow(/option/);
  });

  it("accepts the defaults and every valid option", () => {
    expect(typeof createStaticHandler(HERE)).toBe("function");
    const handler = createStaticHandler(HERE, {
      listing: true,
      dotfiles: "deny",
      maxAge: 60,
      immutable: true,
      precompressed: false,
      index: "page.html",
      listingHint: "Start it with --listing.",
      log: () => {},
      onError: () => {},
      revalidateMs: 0,
      cacheFileBytes: 0,
      cacheBytes: 0,
      cacheEntries: 0,
      chunkBytes: 1,
    });
    expect(typeof handler).toBe("function");
  });
});
