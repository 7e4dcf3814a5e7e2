/**
 * What to do with a path that has a segment starting with "." (`/.env`, `/.git/config`):
 * `ignore` answers 404 as if it did not exist, `deny` answers 403, `allow` serves it.
 * `/.well-known/` (RFC 8615) is always served.
 */
export type DotfilePolicy = "ignore" | "deny" | "allow";

/** Options of {@link createFileHandler}. Every one has a safe default. */
export interface FileHandlerOptions {
  /** Answer a directory without index.html with an HTML listing. Default false (404). */
  listing?: boolean;
  /** Default "ignore". */
  dotfiles?: DotfilePolicy;
  /** Seconds for `Cache-Control: public, max-age=N`. Default: `no-cache` (always revalidate). */
  maxAge?: number;
  /** Add `immutable` to Cache-Control (needs `maxAge`). Default false. */
  immutable?: boolean;
  /** Serve `file.br` / `file.gz` siblings when Accept-Encoding allows. Default true. */
  precompressed?: boolean;
  /** The index file served for a directory path ending in "/". Default "index.html". */
  index?: string;
  /** Receives one Common Log Format line per request. Default: none. */
  log?: (line: string) => void;
  /** Files up to this size are kept whole in memory, revalidated by stat. Default 64 KiB; 0 turns the cache off. */
  cacheEntryBytes?: number;
  /** Total bytes of the in-memory cache. Default 32 MiB. */
  cacheTotalBytes?: number;
  /** Bytes read from disk per chunk when streaming larger files (2 chunks are read ahead). Default 1 MiB. */
  chunkBytes?: number;
}
