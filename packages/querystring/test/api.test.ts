import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";
import { encode, parse, parseQs, parseQsl, QueryStringError } from "../src/index.js";
import { thrownCode } from "./helpers.js";

describe("public surface", () => {
  it("exports exactly these names", () => {
    expect(Object.keys(api).sort()).toEqual([
      "DEFAULT_MAX_FIELDS",
      "QueryStringError",
      "encode",
      "parse",
      "parseQs",
      "parseQsl",
    ]);
    expect(api.DEFAULT_MAX_FIELDS).toBe(1000);
  });
});

describe("parseQs", () => {
  it("is the chapter's parse_qs(body, keep_blank_values=True)", () => {
    const form = parseQs("message=hello+world&save=", { keepBlankValues: true });
    expect(form).toEqual({ message: ["hello world"], save: [""] });
    expect(Object.getPrototypeOf(form)).toBeNull();
  });

  it("drops blank values by default, as Python does", () => {
    expect(parseQs("message=hi&save=&preview")).toEqual({ message: ["hi"] });
  });

  it("keeps prototype names as plain own data", () => {
    const r = parseQs("__proto__=1&constructor=2&__proto__=3");
    expect(Object.getPrototypeOf(r)).toBeNull();
    expect(Object.keys(r)).toEqual(["__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(r, "__proto__")?.value).toEqual(["1", "3"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("never mixes up names that share a slot in the name cache", () => {
    // Same length, first and last character: the cache must compare the whole name.
    const names = ["abc", "axc", "a+c", "a%62c", "abc"];
    for (let round = 0; round < 3; round++) {
      const body = names.map((name, i) => `${name}=${i}`).join("&");
      expect(parseQsl(body)).toEqual([
        ["abc", "0"],
        ["axc", "1"],
        ["a c", "2"],
        ["abc", "3"],
        ["abc", "4"],
      ]);
      expect(parseQs(new TextEncoder().encode(`${body}&${"p".repeat(200)}=x`))).toMatchObject({
        abc: ["0", "3", "4"],
        axc: ["1"],
        "a c": ["2"],
      });
    }
  });

  it("accepts any Uint8Array view without reading outside it", () => {
    const backing = new TextEncoder().encode("xx&a=%C3%A9&b=2&yy");
    const view = backing.subarray(3, 15);
    expect(parseQsl(view)).toEqual([
      ["a", "é"],
      ["b", "2"],
    ]);
    expect(parseQsl(Buffer.from("a=1"))).toEqual([["a", "1"]]);
  });

  it("decodes raw and escaped bytes of a body together, as WHATWG does", () => {
    // Raw 0xC3 then %A9 is one character; text that was decoded first would have two U+FFFD.
    const body = Uint8Array.from([0x76, 0x3d, 0xc3, 0x25, 0x41, 0x39]);
    expect(parseQs(body)).toEqual({ v: ["é"] });
    expect(parseQs(new TextDecoder().decode(body))).toEqual({ v: ["\ufffd\ufffd"] });
  });

  it("applies a multi-character or non-ASCII separator to bytes too", () => {
    const body = new TextEncoder().encode("a=1§b=2&c§§d=é");
    expect(parseQsl(body, { separator: "§", keepBlankValues: true })).toEqual([
      ["a", "1"],
      ["b", "2&c"],
      ["d", "é"],
    ]);
  });
});

describe("errors", () => {
  it("carries code, status and name", () => {
    let caught: unknown;
    try {
      parseQs("a=1&b=2", { maxFields: 1 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QueryStringError);
    expect(caught).toMatchObject({
      name: "QueryStringError",
      code: "WW_QS_TOO_MANY_FIELDS",
      status: 413,
    });
  });

  it("reports the bad field under strictParsing, shortened", () => {
    const long = "x".repeat(500);
    expect(() => parseQsl(`a=1&${long}`, { strictParsing: true })).toThrow(
      expect.objectContaining({ code: "WW_QS_BAD_FIELD", status: 400 }),
    );
    expect(() => parseQsl(`a=1&${long}`, { strictParsing: true })).toThrow(
      /^bad query field: "x{64}…"$/,
    );
  });

  it.each([
    ["a number", 42],
    ["null", null],
    ["an array", ["a=1"]],
    ["an ArrayBuffer", new ArrayBuffer(3)],
  ])("throws TypeError for %s as input", (_label, input) => {
    expect(() => parseQs(input as never)).toThrow(TypeError);
    expect(() => parseQsl(input as never)).toThrow(TypeError);
    expect(() => parse(input as never)).toThrow(TypeError);
  });

  it.each([
    [{ separator: "" }, TypeError],
    [{ separator: 1 }, TypeError],
    [{ maxFields: -1 }, RangeError],
    [{ maxFields: 1.5 }, RangeError],
    [{ maxFields: Number.NaN }, RangeError],
    ["&", TypeError],
  ])("throws for options %j", (options, kind) => {
    expect(() => parseQs("a=1", options as never)).toThrow(kind);
  });

  it("never throws on untrusted text without strictParsing or a limit", () => {
    for (const s of ["%", "%%", "%zz=%", "=&=&", "\ud800=\udfff", "%C0%AE"]) {
      expect(thrownCode(() => parseQs(s))).toBeUndefined();
    }
  });
});

describe("encode", () => {
  it("takes records with lists, pairs, Maps and URLSearchParams", () => {
    expect(encode({ message: "hello world", tag: ["a", "b"], none: [] })).toBe(
      "message=hello+world&tag=a&tag=b",
    );
    expect(encode([["q", "café & co"]])).toBe("q=caf%C3%A9+%26+co");
    expect(encode(new Map([["a", "1"]]))).toBe("a=1");
    expect(encode(new URLSearchParams("x=1&x=2"))).toBe("x=1&x=2");
    expect(encode(parseQs("__proto__=x"))).toBe("__proto__=x");
  });

  it.each([
    ["a string", "a=1"],
    ["null", null],
    ["a short pair", [["a"]]],
    ["a number value", [["a", 1]]],
    ["a record with a number", { a: 1 }],
  ])("throws TypeError for %s", (_label, input) => {
    expect(() => encode(input as never)).toThrow(TypeError);
  });
});
