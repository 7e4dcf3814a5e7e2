import type { StaticError } from "./errors.js";

/**
 * What to do with a path that has a segment starting with "." (`/.env`, `/.git/config`):
 * `ignore` answers 404 as if it did not exist, `deny` answers 403, `allow` serves it.
 * `/.well-known/` (RFC 8615) is always served.
 */
export type DotfilePolicy = "ignore" | "deny" | "allow";

/** Options of {@link createStaticHandler}. Every one has a safe default. */
export interface StaticOptions {
  /** Answer a directory without an index file with an HTML listing. Default false (404). */
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
  /**
   * The sentence added to the 404 of a directory that has no index file while listings are
   * off, so whoever runs the server learns why "/" is empty. Default:
   * "Directory listings are off (option listing)." An app names its own switch here.
   */
  listingHint?: string;
  /** Receives one Common Log Format line per request. Default: none. */
  log?: (line: string) => void;
  /**
   * Receives every failure to read a file that exists (answered 403 or 500), with its code
   * and path. Default: `console.error` of the message.
   */
  onError?: (error: StaticError) => void;
  /**
   * Milliseconds a cached answer is trusted without looking at the disk. After that the next
   * request for the path checks everything again (path, symlinks, dotfiles, the file itself),
   * so edits, new and deleted files show within this time. 0 checks on every request (for
   * development). Default 500.
   */
  revalidateMs?: number;
  /** Files up to this many bytes are cached whole in memory. Default 64 KiB; 0 turns the cache off. */
  cacheFileBytes?: number;
  /** Bytes the cache holds at most, bodies plus 512 bytes per file version. Default 32 MiB. */
  cacheBytes?: number;
  /** Request paths the cache holds at most (those not used recently go first). Default 4096. */
  cacheEntries?: number;
  /** Bytes read from disk per chunk when streaming larger files (2 chunks are read ahead). Default 1 MiB. */
  chunkBytes?: number;
}

/** The options with every default filled in and checked. */
export interface ResolvedOptions {
  listing: boolean;
  dotfiles: DotfilePolicy;
  cacheControl: string;
  precompressed: boolean;
  index: string;
  listingHint: string;
  onError: (error: StaticError) => void;
  revalidateMs: number;
  cacheFileBytes: number;
  cacheBytes: number;
  cacheEntries: number;
  chunkBytes: number;
}

/** @throws TypeError naming the first invalid option. */
export function resolveOptions(options: StaticOptions): ResolvedOptions {
  const dotfiles = options.dotfiles ?? "ignore";
  if (!["ignore", "deny", "allow"].includes(dotfiles)) {
    throw new TypeError(`option dotfiles is invalid: ${options.dotfiles}`);
  }
  const index = options.index ?? "index.html";
  if (index === "" || index.includes("/") || index.includes("\\") || index === "..") {
    throw new TypeError(`option index is invalid: ${options.index}`);
  }
  return {
    listing: options.listing ?? false,
    dotfiles,
    cacheControl: cacheControlOf(options),
    precompressed: options.precompressed ?? true,
    index,
    listingHint: options.listingHint ?? "Directory listings are off (option listing).",
    onError: options.onError ?? ((error) => console.error(`@wireweb/static: ${error.message}`)),
    revalidateMs: count("revalidateMs", options.revalidateMs, 500),
    cacheFileBytes: count("cacheFileBytes", options.cacheFileBytes, 64 * 1024),
    cacheBytes: count("cacheBytes", options.cacheBytes, 32 * 1024 * 1024),
    cacheEntries: count("cacheEntries", options.cacheEntries, 4096),
    chunkBytes: count("chunkBytes", options.chunkBytes, 1024 * 1024, 1),
  };
}

function count(name: string, value: number | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`option ${name} is invalid: ${value}`);
  }
  return value;
}

function cacheControlOf(options: StaticOptions): string {
  const { maxAge, immutable = false } = options;
  if (maxAge === undefined) {
    if (immutable) throw new TypeError("option immutable needs option maxAge");
    return "no-cache";
  }
  if (!Number.isInteger(maxAge) || maxAge < 0) {
    throw new TypeError(`option maxAge is invalid: ${maxAge}`);
  }
  return `public, max-age=${maxAge}${immutable ? ", immutable" : ""}`;
}
