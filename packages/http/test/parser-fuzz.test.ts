import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIELD_VALUE, skipFieldValue, skipTarget, skipToken, TARGET, TCHAR } from "../src/bytes.js";
import { HttpError } from "../src/errors.js";
import { RequestParser } from "../src/request-parser.js";
import { bytes, type ParseResult, parsePieces, pieces, splitAt } from "./vectors/harness.js";
import { VECTORS } from "./vectors/requests.js";

// Bounded by count and time (undici's fuzz cap); WIREWEB_FUZZ_RUNS raises the count.
const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 300);
const settings = { numRuns: RUNS, interruptAfterTimeLimit: 20_000 };

const seeds = VECTORS.filter((v) => v.options === undefined).map((v) => bytes(v.input));

/** A valid or invalid vector with a few bytes flipped, inserted or deleted. */
const mutated = fc
  .record({
    seed: fc.constantFrom(...seeds),
    edits: fc.array(
      fc.record({
        kind: fc.constantFrom("flip", "insert", "delete"),
        at: fc.nat(),
        byte: fc.oneof(
          fc.constantFrom(0, 9, 10, 13, 32, 44, 58, 59, 127, 255),
          fc.integer({ min: 0, max: 255 }),
        ),
      }),
      { maxLength: 4 },
    ),
  })
  .map(({ seed, edits }) => {
    const out = [...seed];
    for (const e of edits) {
      const at = out.length === 0 ? 0 : e.at % (out.length + 1);
      if (e.kind === "insert") out.splice(at, 0, e.byte);
      else if (at < out.length && e.kind === "delete") out.splice(at, 1);
      else if (at < out.length) out[at] = e.byte;
    }
    return Uint8Array.from(out);
  });

const anyBytes = fc.uint8Array({ maxLength: 600 });
const cuts = fc.array(fc.nat({ max: 2000 }), { maxLength: 6 });

describe("parser fuzzing", { timeout: 30_000 }, () => {
  /** Parses `input` whole and cut at `at`, and expects the very same result. */
  function sameWholeAndSplit(input: Uint8Array, at: number[], allowBareLf = false): ParseResult {
    // parsePieces rethrows anything that is not an HttpError, failing the property.
    const whole = parsePieces([input], { allowBareLf });
    const cutsInRange = at.map((c) => c % (input.length + 1));
    expect(parsePieces(splitAt(input, cutsInRange), { allowBareLf })).toEqual(whole);
    if (whole.error) expect(whole.error.offset).toBeLessThanOrEqual(input.length);
    return whole;
  }

  it("random bytes only ever throw HttpError, and split points do not change the result", () => {
    fc.assert(
      fc.property(anyBytes, cuts, (input, at) => void sameWholeAndSplit(input, at)),
      settings,
    );
  });

  it("mutated vectors give the same messages and error at any split points, bare LF or not", () => {
    fc.assert(
      fc.property(
        mutated,
        cuts,
        fc.boolean(),
        (input, at, lf) => void sameWholeAndSplit(input, at, lf),
      ),
      settings,
    );
  });

  it("with small random limits, the fast and general paths agree (whole vs byte by byte)", () => {
    const limits = fc.record({
      maxLineBytes: fc.integer({ min: 1, max: 80 }),
      maxHeaderBytes: fc.integer({ min: 1, max: 300 }),
      maxHeaderCount: fc.integer({ min: 1, max: 12 }),
    });
    fc.assert(
      fc.property(mutated, limits, fc.boolean(), (input, l, allowBareLf) => {
        const options = { limits: l, allowBareLf };
        // Whole-chunk parsing takes the one-pass paths; single bytes always take the general one.
        expect(parsePieces(pieces(input, 1), options)).toEqual(parsePieces([input], options));
      }),
      settings,
    );
  });

  // Each word-at-a-time scanner, its byte table, and bytes that are mostly in the class with
  // now and then one that is not.
  const scanners: [string, (b: Uint8Array, k: number, end: number) => number, Uint8Array][] = [
    ["field value", skipFieldValue, FIELD_VALUE],
    ["token", skipToken, TCHAR],
    ["request-target", skipTarget, TARGET],
  ];
  it.each(scanners)(
    "the word-at-a-time %s scan agrees with a byte-by-byte scan",
    (_, scan, table) => {
      const byte = fc.oneof(
        { weight: 30, arbitrary: fc.integer({ min: 0, max: 0xff }).filter((b) => table[b] === 1) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xff }) },
      );
      fc.assert(
        fc.property(fc.array(byte, { maxLength: 80 }), fc.nat(8), fc.nat(80), (list, pad, from) => {
          // Padded views, so that the data starts at every alignment within its buffer; two views
          // of one buffer scanned in turn, as the lines of one socket read are.
          const backing = new Uint8Array(pad + list.length);
          backing.set(list, pad);
          for (const view of [backing.subarray(pad), backing.subarray(Math.min(pad, 3))]) {
            const start = Math.min(from, view.length);
            let expected = start;
            while (expected < view.length && table[view[expected]!] === 1) expected++;
            expect(scan(view, start, view.length)).toBe(expected);
          }
        }),
        settings,
      );
    },
  );

  it("never holds more than maxHeaderBytes of an unfinished head", () => {
    const limits = { maxLineBytes: 128, maxHeaderBytes: 256, maxHeaderCount: 8 };
    const line = fc.stringMatching(/^[A-Za-z0-9-]{1,12}: [ -~]{0,40}$/).map((s) => `${s}\r\n`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.nat({ max: 16 }), (lines, size) => {
        // No empty line ever follows, so no head can complete: the parser must refuse by the
        // time it has been handed more than the limit.
        const input = bytes(`GET / HTTP/1.1\r\n${lines.join("")}`);
        const parser = new RequestParser(
          { onHead: () => undefined, onBody: () => undefined, onComplete: () => undefined },
          { limits },
        );
        let fed = 0;
        try {
          for (let i = 0; i < input.length; i += size + 1) {
            const piece = input.subarray(i, i + size + 1);
            parser.execute(piece);
            fed += piece.length;
            expect(fed).toBeLessThanOrEqual(limits.maxHeaderBytes);
          }
        } catch (error) {
          if (!HttpError.is(error)) throw error;
          expect(error.status).toBe(431);
        }
      }),
      settings,
    );
  });

  it("a long stream of pipelined requests in random pieces stays in step", () => {
    const request = fc.constantFrom(
      "GET /a HTTP/1.1\r\nHost: a\r\n\r\n",
      "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz",
      "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2;x=1\r\nhi\r\n0\r\nT: 1\r\n\r\n",
      "\r\nGET /d HTTP/1.0\r\n\r\n",
    );
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 30 }), cuts, (requests, at) => {
        const input = bytes(requests.join(""));
        const result = parsePieces(
          splitAt(
            input,
            at.map((c) => c % (input.length + 1)),
          ),
        );
        expect(result.error).toBeUndefined();
        expect(result.messages.map((m) => m.target)).toEqual(requests.map((r) => r.split(" ")[1]));
      }),
      settings,
    );
  });
});
