import { describe, expect, it } from "vitest";
import { bytes, type ParseResult, parsePieces, pieces, splitAt } from "./vectors/harness.js";
import { VECTORS, type Vector } from "./vectors/requests.js";

const accepted = VECTORS.filter((v) => v.error === undefined);
const refused = VECTORS.filter((v) => v.error !== undefined);

function check(v: Vector, result: ParseResult): void {
  if (v.error === undefined) {
    expect(result.error, "unexpected refusal").toBeUndefined();
  } else {
    const { offset, ...rest } = v.error;
    expect({ code: result.error?.code, status: result.error?.status }).toEqual(rest);
    if (offset !== undefined) expect(result.error?.offset).toBe(offset);
  }
  const wanted = v.messages ?? [];
  expect(result.messages).toHaveLength(wanted.length);
  wanted.forEach((m, i) => {
    // A property listed as undefined must be absent (toMatchObject would demand the key).
    const absent = Object.keys(m).filter((k) => m[k as keyof typeof m] === undefined);
    const present = Object.fromEntries(
      Object.entries(m).filter(([, value]) => value !== undefined),
    );
    expect(result.messages[i]).toMatchObject(present);
    for (const key of absent) expect(result.messages[i]).not.toHaveProperty(key);
  });
}

describe("request vectors", () => {
  it("has at least 150 vectors, both accepting and refusing", () => {
    expect(VECTORS.length).toBeGreaterThanOrEqual(150);
    expect(accepted.length).toBeGreaterThan(50);
    expect(refused.length).toBeGreaterThan(100);
    expect(new Set(VECTORS.map((v) => v.name)).size).toBe(VECTORS.length);
  });

  describe.each(VECTORS.map((v) => [v.name, v] as const))("%s", (_name, v) => {
    const input = bytes(v.input);
    const whole = parsePieces([input], v.options);

    it("gives the expected result in one chunk", () => check(v, whole));

    // Vectors of several KiB mean thousands of parses here, and coverage on a loaded 2-core CI
    // machine slows each: a time limit well above the ~0.2 s they take alone.
    it("gives the same result at every split point", { timeout: 60_000 }, () => {
      for (let cut = 0; cut <= input.length; cut++) {
        const split = parsePieces(splitAt(input, [cut]), v.options);
        if (JSON.stringify(split) !== JSON.stringify(whole)) {
          expect(split, `split at ${cut}`).toEqual(whole);
        }
      }
    });

    it("gives the same result one byte at a time", { timeout: 60_000 }, () => {
      expect(parsePieces(pieces(input, 1), v.options)).toEqual(whole);
    });

    if (v.error !== undefined) {
      it("reports an offset inside the input", () => {
        expect(whole.error?.offset).toBeGreaterThanOrEqual(0);
        expect(whole.error?.offset).toBeLessThanOrEqual(input.length);
      });
    }
  });
});

describe("pipelining", () => {
  const plain = accepted.filter((v) => v.options === undefined);

  it("parses every accepted vector back to back on one connection", () => {
    const input = bytes(plain.map((v) => v.input).join(""));
    const result = parsePieces([input]);
    expect(result.error).toBeUndefined();
    expect(result.messages).toHaveLength(plain.reduce((n, v) => n + (v.messages?.length ?? 0), 0));
    expect(parsePieces(pieces(input, 7))).toEqual(result);
    expect(parsePieces(pieces(input, 1))).toEqual(result);
  });

  it("delivers the messages before a refusal, then stops", () => {
    for (const bad of refused.filter(
      (v) => v.options === undefined && v.error?.code !== "WW_HTTP_INCOMPLETE_MESSAGE",
    )) {
      const good = "GET /first HTTP/1.1\r\nHost: a\r\n\r\n";
      const result = parsePieces([bytes(good + bad.input)]);
      expect(result.messages[0]?.target, bad.name).toBe("/first");
      expect(result.error?.code, bad.name).toBe(bad.error?.code);
      expect(result.error!.offset, bad.name).toBe(
        parsePieces([bytes(bad.input)]).error!.offset + good.length,
      );
    }
  });
});
