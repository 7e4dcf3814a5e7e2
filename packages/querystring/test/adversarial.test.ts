import { describe, expect, it } from "vitest";
import { parse, parseQs, parseQsl } from "../src/index.js";
import { thrownCode, utf8Encode } from "./helpers.js";
import { referenceWhatwg } from "./reference.js";

const MB = 1024 * 1024;
const fields = (n: number, make: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => make(i)).join("&");

describe("100k fields", () => {
  const body = fields(100_000, (i) => `k${i % 1000}=v${i}`);

  it("fails loudly at the default limit of 1000, for text and bytes", () => {
    expect(thrownCode(() => parseQs(body))).toBe("WW_QS_TOO_MANY_FIELDS");
    expect(thrownCode(() => parseQs(utf8Encode(body)))).toBe("WW_QS_TOO_MANY_FIELDS");
  });

  it("fails at one over a raised limit", () => {
    expect(thrownCode(() => parseQs(body, { maxFields: 99_999 }))).toBe("WW_QS_TOO_MANY_FIELDS");
  });

  it("parses them all with the limit raised", () => {
    for (const input of [body, utf8Encode(body)]) {
      const result = parseQs(input, { maxFields: 100_000 });
      expect(Object.keys(result)).toHaveLength(1000);
      expect(result.k999).toHaveLength(100);
      expect(result.k0![99]).toBe("v99000");
    }
  });

  it("keeps 100k repeats of one name in order", () => {
    const same = fields(100_000, (i) => `x=${i}`);
    const values = parseQs(same, { maxFields: Number.POSITIVE_INFINITY }).x!;
    expect(values).toHaveLength(100_000);
    expect(values[12_345]).toBe("12345");
  });

  it("stays linear when every field lacks '=' but the last has one", () => {
    const bare = `${"a&".repeat(100_000)}b=1`;
    const pairs = parseQsl(bare, { keepBlankValues: true, maxFields: 200_000 });
    expect(pairs).toHaveLength(100_001);
    expect(pairs.at(-1)).toEqual(["b", "1"]);
  });

  it("counts separators before skipping empty fields, as CPython does", () => {
    const empties = "&".repeat(1000);
    expect(thrownCode(() => parseQsl(empties))).toBe("WW_QS_TOO_MANY_FIELDS");
    expect(parseQsl(empties.slice(1))).toEqual([]);
  });
});

describe("1 MB values", () => {
  it("passes a plain value through", () => {
    const value = "x".repeat(MB);
    expect(parseQs(`v=${value}`).v).toEqual([value]);
    expect(parseQs(utf8Encode(`v=${value}`)).v).toEqual([value]);
  });

  it("decodes a value made only of escapes", () => {
    const euro = "%E2%82%AC".repeat(MB / 9);
    const expected = "€".repeat(MB / 9);
    expect(parseQs(`v=${euro}`).v).toEqual([expected]);
    expect(parseQs(utf8Encode(`v=${euro}`)).v).toEqual([expected]);
  });

  it("decodes a value of pluses and malformed escapes", () => {
    const value = "+%+%4+%zz".repeat(MB / 9);
    const expected = " % %4 %zz".repeat(MB / 9);
    expect(parseQs(`v=${value}`).v).toEqual([expected]);
    expect(parse(utf8Encode(`v=${value}`))).toEqual([["v", expected]]);
  });

  it("keeps raw non-ASCII text between escapes in a large value", () => {
    const value = "é%C3%A9".repeat(MB / 8);
    expect(parseQs(`v=${value}`).v).toEqual(["éé".repeat(MB / 8)]);
  });
});

describe("every byte value", () => {
  it("raw and escaped in a body, WHATWG over bytes (0x00-0xFF)", () => {
    for (let byte = 0; byte < 256; byte++) {
      const hex = byte.toString(16).padStart(2, "0");
      const raw = Uint8Array.from([0x76, 0x3d, 0x61, byte, 0x62, 0x26, 0x77, 0x3d, 0xc3]);
      expect(parse(raw), `raw 0x${hex}`).toEqual(referenceWhatwg(raw));
      const escaped = utf8Encode(`v=a%${hex}%${hex.toUpperCase()}b%${hex}`);
      expect(parse(escaped), `escaped 0x${hex}`).toEqual(referenceWhatwg(escaped));
    }
  });
});
