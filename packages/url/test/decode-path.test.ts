import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodePath, UrlError } from "../src/index.js";

const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 1000);

function code(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (UrlError.is(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe("decodePath", () => {
  it.each([
    ["/plain/path.html", "/plain/path.html"],
    ["/my%20notes.txt", "/my notes.txt"],
    ["/caf%C3%A9/menu", "/café/menu"],
    ["/caf%c3%a9", "/café"],
    ["/a+b", "/a+b"],
    ["/%F0%9F%98%80", "/\u{1F600}"],
    ["/%E2%82%AC", "/€"],
    ["/%252e", "/%2e"],
    ["/%2F", "//"],
    ["%41%42c", "ABc"],
    ["/%EF%BF%BF", "/\uffff"],
    ["/%F4%8F%BF%BF", "/\u{10FFFF}"],
    ["", ""],
  ])("%s -> %s", (input, expected) => {
    expect(decodePath(input)).toBe(expected);
  });

  it.each([
    ["/100%", "WW_URL_BAD_ESCAPE"],
    ["/100%.txt", "WW_URL_BAD_ESCAPE"],
    ["/%4", "WW_URL_BAD_ESCAPE"],
    ["/%zz", "WW_URL_BAD_ESCAPE"],
    ["/%C3%Z9", "WW_URL_BAD_ESCAPE"],
    ["/%00", "WW_URL_NUL_BYTE"],
    ["/a\u0000b", "WW_URL_NUL_BYTE"],
    ["/%80", "WW_URL_INVALID_UTF8"],
    ["/%BF", "WW_URL_INVALID_UTF8"],
    ["/%C0%80", "WW_URL_INVALID_UTF8"],
    ["/%C1%BF", "WW_URL_INVALID_UTF8"],
    ["/%C3", "WW_URL_INVALID_UTF8"],
    ["/%C3x", "WW_URL_INVALID_UTF8"],
    ["/%C3%41", "WW_URL_INVALID_UTF8"],
    ["/%E0%9F%BF", "WW_URL_INVALID_UTF8"],
    ["/%ED%A0%80", "WW_URL_INVALID_UTF8"],
    ["/%ED%BF%BF", "WW_URL_INVALID_UTF8"],
    ["/%F0%8F%BF%BF", "WW_URL_INVALID_UTF8"],
    ["/%F4%90%80%80", "WW_URL_INVALID_UTF8"],
    ["/%F5%80%80%80", "WW_URL_INVALID_UTF8"],
    ["/%FE", "WW_URL_INVALID_UTF8"],
    ["/%FF", "WW_URL_INVALID_UTF8"],
    ["/%E2%82", "WW_URL_INVALID_UTF8"],
  ])("%s throws %s", (input, expected) => {
    expect(code(() => decodePath(input))).toBe(expected);
  });

  it("throws TypeError for a non-string", () => {
    expect(() => decodePath(1 as unknown as string)).toThrow(TypeError);
  });

  it("decodes what encodeURIComponent encodes (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (text) => {
        fc.pre(!text.includes("\0"));
        expect(decodePath(encodeURIComponent(text))).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it("accepts exactly the byte sequences a fatal TextDecoder accepts (property)", () => {
    const strict = new TextDecoder("utf-8", { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 8 }), (bytes) => {
        const encoded = Array.from(bytes, (b) => `%${b.toString(16).padStart(2, "0")}`).join("");
        let expected: string | undefined;
        try {
          expected = strict.decode(bytes);
        } catch {
          expected = undefined;
        }
        if (bytes.includes(0)) {
          // Whichever fault the scan meets first is reported.
          expect(["WW_URL_NUL_BYTE", "WW_URL_INVALID_UTF8"]).toContain(
            code(() => decodePath(encoded)),
          );
        } else if (expected === undefined) {
          expect(code(() => decodePath(encoded))).toBe("WW_URL_INVALID_UTF8");
        } else {
          expect(decodePath(encoded)).toBe(expected);
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });
});
