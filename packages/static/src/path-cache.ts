import type { Encoding, Representation } from "./representation.js";

/** A representation held whole in memory. */
export type InMemory = Representation & { body: Buffer };

/**
 * What one request path resolved to, with every variant looked up: the file, and each
 * precompressed sibling (`null`: there is none). Complete, so a hit needs no file system call
 * whatever the request's Accept-Encoding.
 */
export interface CachedFile {
  identity: InMemory;
  br: InMemory | null;
  gzip: InMemory | null;
}

/** Bytes counted per file version on top of its body: headers, validators and the entry. */
export const ENTRY_OVERHEAD_BYTES = 512;

interface Entry {
  file: CachedFile;
  /** When the disk last confirmed the answer (ms since the epoch). */
  checkedAt: number;
  bytes: number;
  /** A background check has been asked for. */
  refreshing: boolean;
  /** Hit since it last reached the old end of the queue (its second chance, CLOCK-style). */
  used: boolean;
}

/** Limits of a {@link PathCache}. */
export interface PathCacheLimits {
  /** How long an entry is trusted without looking at the disk; 0 stores nothing. */
  revalidateMs: number;
  /** At most this many entries. */
  maxEntries: number;
  /** At most this many bytes, counted as bodies plus {@link ENTRY_OVERHEAD_BYTES} per version. */
  maxBytes: number;
}

/**
 * Request path → the file it resolved to, trusted for `revalidateMs` after the disk last said
 * so; after that `get` misses and the caller resolves the path again from scratch (every check,
 * not just a stat: a file swapped for a symlink out of the root must be refused, not served
 * from memory). Entries not used recently are evicted to stay under both limits (CLOCK: an
 * entry hit since its last turn gets a second chance), so memory is bounded by `maxBytes` and
 * `maxEntries` however many distinct paths (or aliases of one path) are asked for.
 */
export class PathCache {
  readonly #limits: PathCacheLimits;
  readonly #refresh: (path: string) => void;
  #entries = new Map<string, Entry>();
  #bytes = 0;

  /**
   * @param refresh asked (once per entry) to check a path again when a hit finds its entry
   *   past half of `revalidateMs`: a hot path is then renewed before it expires, and
   *   requests for it never wait for the disk. It calls `set` or `delete` when done.
   */
  constructor(limits: PathCacheLimits, refresh: (path: string) => void = () => {}) {
    this.#limits = limits;
    this.#refresh = refresh;
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes counted against `maxBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The answer for `path` if the disk confirmed it less than `revalidateMs` before `now`. */
  get(path: string, now: number): CachedFile | undefined {
    const entry = this.#entries.get(path);
    if (entry === undefined) return undefined;
    const age = now - entry.checkedAt;
    if (age >= this.#limits.revalidateMs) {
      this.delete(path);
      return undefined;
    }
    if (age * 2 >= this.#limits.revalidateMs && !entry.refreshing) {
      entry.refreshing = true;
      this.#refresh(path);
    }
    // A flag, not a move to the end of the Map: a hit stays one property write (CLOCK, the
    // second-chance approximation of LRU that page caches use).
    entry.used = true;
    return entry.file;
  }

  /** Stores what `path` resolved to at `checkedAt`, evicting to fit; false if it cannot fit. */
  set(path: string, file: CachedFile, checkedAt: number): boolean {
    const { revalidateMs, maxEntries, maxBytes } = this.#limits;
    if (revalidateMs === 0 || maxEntries === 0) return false;
    const bytes = sizeOf(file) + path.length;
    if (bytes > maxBytes) return false;
    this.delete(path);
    while (this.#entries.size >= maxEntries || this.#bytes + bytes > maxBytes) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) break;
      const [key, entry] = oldest.value;
      this.#entries.delete(key);
      if (entry.used) {
        // Used since it was last here: it goes round once more, flag cleared.
        entry.used = false;
        this.#entries.set(key, entry);
      } else {
        this.#bytes -= entry.bytes;
      }
    }
    this.#entries.set(path, { file, checkedAt, bytes, refreshing: false, used: false });
    this.#bytes += bytes;
    return true;
  }

  delete(path: string): void {
    const entry = this.#entries.get(path);
    if (entry === undefined) return;
    this.#entries.delete(path);
    this.#bytes -= entry.bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}

function sizeOf(file: CachedFile): number {
  let bytes = 0;
  for (const coding of ["identity", "br", "gzip"] as const satisfies Encoding[]) {
    const rep = file[coding];
    if (rep !== null) bytes += rep.body.byteLength + ENTRY_OVERHEAD_BYTES;
  }
  return bytes;
}
