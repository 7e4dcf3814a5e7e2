import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";

/** The secret that must never appear in any response. */
export const SECRET = "TOP-SECRET-4b1d";
export const HELLO = "hello world"; // 11 bytes, the research's probe file
export const HUGE_SIZE = 10 * 1024 ** 3; // 10 GiB, sparse: no disk blocks

/** A throwaway tree: `root/` to serve and `outside/` beside it that must never be read. */
export interface Fixture {
  base: string;
  root: string;
  outside: string;
  /** A 200 KiB pseudo-random binary file's bytes (larger than the cache, so it is streamed). */
  binary: Buffer;
  appJs: string;
  remove(): void;
}

export function makeFixture(options: { notFoundPage?: boolean } = {}): Fixture {
  const base = mkdtempSync(join(tmpdir(), "file-server-"));
  const root = join(base, "root");
  const outside = join(base, "outside");
  mkdirSync(join(root, "sub"), { recursive: true });
  mkdirSync(join(root, "empty"));
  mkdirSync(join(root, ".well-known"));
  mkdirSync(join(root, ".git"));
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), SECRET);
  writeFileSync(join(root, "hello.txt"), HELLO);
  writeFileSync(join(root, "fünke.txt"), "unicode name\n");
  writeFileSync(join(root, "with space.txt"), "space\n");
  writeFileSync(join(root, "empty.txt"), "");
  const binary = Buffer.alloc(200 * 1024);
  let x = 2463534242;
  for (let i = 0; i < binary.length; i++) {
    // xorshift32: deterministic bytes that do not compress
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    binary[i] = x & 0xff;
  }
  writeFileSync(join(root, "binary.bin"), binary);
  writeFileSync(join(root, "huge.bin"), "");
  truncateSync(join(root, "huge.bin"), HUGE_SIZE);
  const appJs = `console.log(${JSON.stringify("precompressed ".repeat(50))});\n`;
  writeFileSync(join(root, "app.js"), appJs);
  writeFileSync(join(root, "app.js.br"), brotliCompressSync(appJs));
  writeFileSync(join(root, "app.js.gz"), gzipSync(appJs));
  writeFileSync(join(root, "only-gz.css"), "body{}\n");
  writeFileSync(join(root, "only-gz.css.gz"), gzipSync("body{}\n"));
  writeFileSync(join(root, "sub", "index.html"), "<p>sub index</p>\n");
  writeFileSync(join(root, "sub", "inner.txt"), "inner\n");
  writeFileSync(join(root, ".env"), `PASSWORD=${SECRET}\n`);
  writeFileSync(join(root, ".git", "config"), `${SECRET}\n`);
  writeFileSync(join(root, ".well-known", "security.txt"), "Contact: mailto:x@example.com\n");
  writeFileSync(join(root, "<b>&amp;.txt"), "html-ish name\n");
  symlinkSync(join(outside, "secret.txt"), join(root, "link-out.txt"));
  symlinkSync(outside, join(root, "dir-link-out"));
  symlinkSync(join(root, "hello.txt"), join(root, "link-in.txt"));
  symlinkSync(join(root, ".env"), join(root, "link-to-dotfile.txt"));
  if (options.notFoundPage) writeFileSync(join(root, "404.html"), "<h1>custom not found</h1>\n");
  // Written a minute ago, so validators are strong (fresh writes get weak ETags on purpose).
  const past = new Date(Date.now() - 60_000);
  for (const entry of readdirSync(base, { recursive: true, withFileTypes: true })) {
    if (!entry.isSymbolicLink()) utimesSync(join(entry.parentPath, entry.name), past, past);
  }
  return {
    base,
    root,
    outside,
    binary,
    appJs,
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
