import type { Stats } from "node:fs";

/** The stat fields that must all be unchanged for a cached file body to still be current. */
export type StatIdentity = Pick<Stats, "dev" | "ino" | "size" | "mtimeMs" | "ctimeMs">;

/** What the cache holds: anything with a body, whose size is what the cache counts. */
export interface Cacheable {
  body: Buffer;
}

interface Entry<T> {
  identity: StatIdentity;
  value: T;
}

/** Size limits of a {@link ResponseCache}. */
export interface ResponseCacheOptions {
  /** Files larger than this are never cached. Default 64 KiB. */
  maxEntryBytes?: number;
  /** Total body bytes kept; the least recently used entries go first. Default 32 MiB. */
  maxTotalBytes?: number;
}

/**
 * A least-recently-used cache of small files, validated on every use against a fresh `stat`
 * (device, inode, size, mtime and ctime), so an edited, replaced or re-linked file is never
 * served stale — unlike sirv's startup snapshot (lukeed/sirv#151).
 */
export class ResponseCache<T extends Cacheable> {
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  #entries = new Map<string, Entry<T>>();
  #totalBytes = 0;

  /** @throws RangeError when a size limit is negative or not a number. */
  constructor(options: ResponseCacheOptions = {}) {
    this.maxEntryBytes = options.maxEntryBytes ?? 64 * 1024;
    this.maxTotalBytes = options.maxTotalBytes ?? 32 * 1024 * 1024;
    if (!(this.maxEntryBytes >= 0)) {
      throw new RangeError(`option maxEntryBytes is invalid: ${options.maxEntryBytes}`);
    }
    if (!(this.maxTotalBytes >= 0)) {
      throw new RangeError(`option maxTotalBytes is invalid: ${options.maxTotalBytes}`);
    }
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes of bodies held. */
  get totalBytes(): number {
    return this.#totalBytes;
  }

  /** The value for `key` if `stat` shows the same file unchanged; a stale entry is dropped. */
  get(key: string, stat: StatIdentity): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (!sameIdentity(entry.identity, stat)) {
      this.delete(key);
      return undefined;
    }
    // Re-insert so Map order is least- to most-recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * Stores `value` for the file version `identity` if it is small enough, evicting least
   * recently used entries to fit. Returns whether it was stored.
   */
  set(key: string, identity: StatIdentity, value: T): boolean {
    const bytes = value.body.byteLength;
    if (bytes > this.maxEntryBytes || bytes > this.maxTotalBytes) return false;
    this.delete(key);
    while (this.#totalBytes + bytes > this.maxTotalBytes) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    this.#entries.set(key, { identity, value });
    this.#totalBytes += bytes;
    return true;
  }

  /** Drops the entry for `key`, if any. */
  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#totalBytes -= entry.value.body.byteLength;
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear();
    this.#totalBytes = 0;
  }
}

/** Whether two stats describe the same, unchanged file. */
export function sameIdentity(a: StatIdentity, b: StatIdentity): boolean {
  return (
    a.ino === b.ino &&
    a.dev === b.dev &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs
  );
}
