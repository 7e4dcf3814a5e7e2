import { describe, expect, it } from "vitest";
import { EXTENSIONS, typeOf } from "../scripts/make-mime-table.js";
import { acceptedEncodings } from "../src/accept-encoding.js";
import { contentTypeFor } from "../src/content-type.js";
import { MIME_TYPES } from "../src/mime-table.js";

describe("contentTypeFor", () => {
  it.each([
    ["index.html", "text/html; charset=utf-8"],
    ["style.css", "text/css; charset=utf-8"],
    ["app.js", "text/javascript; charset=utf-8"],
    ["app.mjs", "text/javascript; charset=utf-8"],
    ["data.json", "application/json; charset=utf-8"],
    ["notes.txt", "text/plain; charset=utf-8"],
    ["logo.svg", "image/svg+xml; charset=utf-8"],
    ["feed.atom", "application/atom+xml; charset=utf-8"],
    ["picture.png", "image/png"],
    ["photo.avif", "image/avif"],
    ["favicon.ico", "image/vnd.microsoft.icon"],
    ["module.wasm", "application/wasm"],
    ["archive.gz", "application/gzip"],
    ["UPPER.HTML", "text/html; charset=utf-8"],
    ["fünke.txt", "text/plain; charset=utf-8"],
    ["no-extension", "application/octet-stream"],
    ["weird.zzzunknown", "application/octet-stream"],
  ])("%s → %s", (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
  });
});

describe("acceptedEncodings (RFC 9110 §12.5.3)", () => {
  it.each([
    [undefined, []],
    ["", []],
    ["gzip, deflate, br", ["br", "gzip"]],
    ["gzip", ["gzip"]],
    ["x-gzip", ["gzip"]],
    ["br;q=0.5, gzip;q=0.8", ["gzip", "br"]],
    ["br;q=0, gzip", ["gzip"]],
    ["*", ["br", "gzip"]],
    ["br;q=0, *", ["gzip"]],
    ["*;q=0", []],
    ["identity", []],
    ["GZIP;Q=1", ["gzip"]],
    ["gzip;q=2", []],
    ["gzip;q=abc, br", ["br"]],
    ["br;q=0.001", ["br"]],
  ] as [string | undefined, string[]][])("%j → %j", (header, expected) => {
    expect(acceptedEncodings(header)).toEqual(expected);
  });
});

describe("the Content-Type table", () => {
  it("is exactly what mime-types 3 (mime-db) says for every extension it covers", () => {
    expect(Object.keys(MIME_TYPES)).toEqual(EXTENSIONS);
    for (const extension of EXTENSIONS) {
      expect(MIME_TYPES[extension], extension).toBe(typeOf(extension));
      expect(contentTypeFor(`name.${extension}`)).toBe(typeOf(extension));
    }
  });

  it("finds nothing on Object.prototype and no extension in a dotfile's name", () => {
    for (const name of ["x.constructor", "x.__proto__", "x.toString", ".html", "dir/.css"]) {
      expect(contentTypeFor(name), name).toBe("application/octet-stream");
    }
  });
});
