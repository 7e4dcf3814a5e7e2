/**
 * Draws the demo site's picture (a sun over green hills) and writes it as a PNG, using only
 * node:zlib: `pnpm --filter file-server exec tsx scripts/make-picture.ts`.
 * The PNG format (ISO/IEC 15948, W3C PNG 3rd ed.): signature, IHDR, IDAT (zlib stream of
 * filtered scanlines), IEND; every chunk is length, type, data, CRC-32 of type and data.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { crc32, deflateSync } from "node:zlib";

export const WIDTH = 240;
export const HEIGHT = 160;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The picture as RGB bytes, row by row: sky, sun, two hills, a path. */
export function drawPicture(width = WIDTH, height = HEIGHT): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colourAt(x, y, width, height);
      const i = (y * width + x) * 3;
      rgb[i] = r;
      rgb[i + 1] = g;
      rgb[i + 2] = b;
    }
  }
  return rgb;
}

function colourAt(x: number, y: number, width: number, height: number): [number, number, number] {
  const farHill = height * 0.62 - 18 * Math.sin((x / width) * Math.PI * 1.3 + 0.4);
  const nearHill = height * 0.78 - 14 * Math.cos((x / width) * Math.PI * 2.1);
  if (y > nearHill) {
    const pathCentre = width * 0.55 + (y - height) * 0.6;
    const pathHalf = 3 + (y - nearHill) * 0.35;
    if (Math.abs(x - pathCentre) < pathHalf) return [214, 190, 140];
    return [58, 140, 62];
  }
  if (y > farHill) return [104, 176, 92];
  const sunDistance = Math.hypot(x - width * 0.75, y - height * 0.25);
  if (sunDistance < 18) return [255, 214, 64];
  if (sunDistance < 22) return [255, 236, 150];
  const t = y / farHill;
  return [Math.round(90 + 110 * t), Math.round(160 + 70 * t), 255];
}

/** Encodes RGB bytes as an 8-bit truecolour PNG (no interlace, filter type 0 on every row). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (rgb.length !== width * height * 3) {
    throw new RangeError(`rgb has ${rgb.length} bytes, expected ${width * height * 3}`);
  }
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type: None
    raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL("../public/picture.png", import.meta.url));
  writeFileSync(target, encodePng(WIDTH, HEIGHT, drawPicture()));
  console.log(`wrote ${target}`);
}
