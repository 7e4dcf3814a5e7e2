import { readFileSync } from "node:fs";
import { crc32, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { drawPicture, encodePng, HEIGHT, WIDTH } from "../scripts/make-picture.js";

const png = readFileSync(new URL("../public/picture.png", import.meta.url));

/** Splits a PNG into chunks, checking each CRC. */
function readChunks(bytes: Buffer) {
  expect(bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  const chunks: { type: string; data: Buffer }[] = [];
  let at = 8;
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(
      crc32(bytes.subarray(at + 4, at + 8 + length)),
    );
    chunks.push({ type, data });
    at += 12 + length;
  }
  return chunks;
}

describe("the demo picture", () => {
  it("is a valid PNG whose pixels are exactly what scripts/make-picture.ts draws", () => {
    const chunks = readChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    const ihdr = chunks[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([
      WIDTH,
      HEIGHT,
      8,
      2,
    ]);
    const raw = inflateSync(chunks[1]!.data);
    const stride = WIDTH * 3;
    const pixels = Buffer.alloc(stride * HEIGHT);
    for (let y = 0; y < HEIGHT; y++) {
      expect(raw[y * (stride + 1)]).toBe(0);
      raw.copy(pixels, y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
    }
    expect(pixels.equals(drawPicture())).toBe(true);
  });

  it("encodePng checks its input size", () => {
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(RangeError);
  });
});
