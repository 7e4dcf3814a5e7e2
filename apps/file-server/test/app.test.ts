import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createFileHandler, type FileHandlerOptions } from "../src/app.js";

const PUBLIC = fileURLToPath(new URL("../public/", import.meta.url));

describe("createFileHandler misuse", () => {
  it("refuses a root that is missing or not a directory", () => {
    expect(() => createFileHandler("/definitely/not/here")).toThrow(TypeError);
    expect(() => createFileHandler(`${PUBLIC}index.html`)).toThrow(/not a directory/);
    expect(() => createFileHandler("")).toThrow(TypeError);
  });

  it.each([
    [{ maxAge: -1 }],
    [{ maxAge: 1.5 }],
    [{ immutable: true }],
    [{ dotfiles: "sometimes" as FileHandlerOptions["dotfiles"] }],
    [{ index: "a/index.html" }],
    [{ index: "" }],
    [{ chunkBytes: 0 }],
    [{ cacheEntryBytes: -1 }],
  ] as FileHandlerOptions[][])("refuses %j", (options) => {
    expect(() => createFileHandler(PUBLIC, options)).toThrow(/option/);
  });

  it("accepts the defaults and every valid option", () => {
    expect(typeof createFileHandler(PUBLIC)).toBe("function");
    const handler = createFileHandler(PUBLIC, {
      listing: true,
      dotfiles: "deny",
      maxAge: 60,
      immutable: true,
      precompressed: false,
      index: "page.html",
      log: () => {},
      cacheEntryBytes: 0,
      cacheTotalBytes: 0,
      chunkBytes: 1,
    });
    expect(typeof handler).toBe("function");
  });
});
