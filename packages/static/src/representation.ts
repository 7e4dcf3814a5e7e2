import type { FileHandle } from "node:fs/promises";

/** The content codings a file can be served in: as it is, or from a precompressed sibling. */
export type Encoding = "identity" | "br" | "gzip";

/** One servable file version: its metadata and 200 headers, and its bytes or an open handle. */
export interface Representation {
  size: number;
  etag: string;
  lastModified: number;
  contentType: string;
  encoding: Encoding;
  /** Header fields of a 200 for it (everything but Date and Content-Length), prebuilt once. */
  headers: Record<string, string>;
  /**
   * Whether these headers and bytes may be kept and reused: not while the file was written
   * less than a second ago (its ETag is weak then) or changed while it was read.
   */
  cacheable: boolean;
  /** The whole file, for small files (and every cached one). */
  body?: Buffer;
  /** An open handle to stream from, for large files; whoever receives it closes it. */
  file?: FileHandle;
}
