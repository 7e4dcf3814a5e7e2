import type { Stats } from "node:fs";

/** How long after a write a file's validators stay weak (RFC 9110 §8.8.1, §8.8.2.2). */
export const FRESH_WRITE_MS = 1000;

/** The fields of a file's stat that identify one version of its bytes. */
export type FileVersion = Pick<Stats, "size" | "mtimeMs">;

/**
 * An entity tag for one version of a file: size and modification time (in microseconds, as
 * far as the file system keeps them), plus the content coding for a precompressed sibling so
 * every encoding has its own tag (RFC 9110 §8.8.3.3).
 *
 * The tag is weak while the file was written less than a second ago: another write within the
 * same clock tick and of the same size would not change it, and a strong tag promises
 * byte-for-byte identity (RFC 9110 §8.8.1; Apache does the same).
 *
 * @example etagFor({ size: 1024, mtimeMs: 1.7e12 }, "br", now) // '"400-1ewzg2x8y00-br"'
 */
export function etagFor(stat: FileVersion, encoding: string, now: number): string {
  const micros = Math.round(stat.mtimeMs * 1000).toString(36);
  const suffix = encoding === "identity" ? "" : `-${encoding}`;
  const tag = `"${stat.size.toString(36)}-${micros}${suffix}"`;
  return isFreshWrite(stat, now) ? `W/${tag}` : tag;
}

/** Whether `stat` was modified so recently that its validators must be treated as weak. */
export function isFreshWrite(stat: FileVersion, now: number): boolean {
  return now - stat.mtimeMs < FRESH_WRITE_MS;
}
