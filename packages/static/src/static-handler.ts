import type { Stats } from "node:fs";
import { accessSync, constants, realpathSync, stat, statSync } from "node:fs";
import { open, readdir, realpath } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import type { Handler, HttpRequest, HttpResponse } from "@wireweb/http";
import { resolveSafePath, UrlError } from "@wireweb/url";
import { acceptedEncodings, SIBLING_ENCODINGS, type SiblingEncoding } from "./accept-encoding.js";
import { formatAccessLog } from "./access-log.js";
import { evaluatePreconditions, isIfRangeCurrent } from "./conditional.js";
import { contentTypeFor } from "./content-type.js";
import { StaticError } from "./errors.js";
import { etagFor, isFreshWrite } from "./etag.js";
import { readWhole } from "./file-stream.js";
import { formatHttpDate } from "./http-date.js";
import { type ListingEntry, renderListing } from "./listing.js";
import { renderNotFoundPage } from "./not-found-page.js";
import { type ResolvedOptions, resolveOptions, type StaticOptions } from "./options.js";
import { type CachedFile, type InMemory, PathCache } from "./path-cache.js";
import { checkDotfiles, directoryLocation, isInside, urlPathOf } from "./paths.js";
import { parseRange } from "./range.js";
import type { Encoding, Representation } from "./representation.js";
import {
  type SendContext,
  sendMultipart,
  sendNotModified,
  sendRange,
  sendStatus,
  sendText,
  sendUnsatisfiable,
  sendWhole,
} from "./send.js";

const ALLOW = "GET, HEAD";
const LISTING_LIMIT = 10_000;
/** Errors that mean "there is nothing servable here": answered 404. */
const NOT_FOUND_CODES = new Set(["ENOENT", "ENOTDIR", "ENAMETOOLONG", "ELOOP"]);
/** Errors that mean "it is there, but this process may not read it": answered 403 and reported. */
const UNREADABLE_CODES = new Set(["EACCES", "EPERM"]);
/** The cache key of the root's 404.html: no request path can equal it (they start with "/"). */
const NOT_FOUND_PAGE_KEY = "\u0000404.html";
/** Accept-Encoding values remembered with their parsed codings (browsers send a few, always the same). */
const MAX_REMEMBERED_ENCODINGS = 64;

/** A directory found where a file was asked for (it gets a redirect, its index or a listing). */
const DIRECTORY = Symbol("directory");

/** What a request path resolves to on disk. */
type Outcome =
  | { kind: "status"; status: number }
  | { kind: "not-found"; detail?: string | undefined }
  | { kind: "redirect"; target: string }
  | { kind: "listing"; target: string }
  | { kind: "file"; filePath: string; rep: Representation; cached: CachedFile | undefined };

/**
 * Creates a request handler for `@wireweb/http` that serves the files below `root` with GET
 * and HEAD: validators and conditional requests, byte ranges, precompressed `.br`/`.gz`
 * siblings, directory redirects and index files, an optional listing, a custom `404.html`,
 * and a dotfile policy. Nothing outside the real path of `root` is ever opened: the request
 * path goes through `@wireweb/url`'s `resolveSafePath`, and the real path of every file
 * (symlinks resolved) must stay inside.
 *
 * Small files (up to `cacheFileBytes`) are answered from memory with no file system call;
 * each cached answer is checked again, from scratch, once it is `revalidateMs` old.
 *
 * @throws StaticError `WW_STATIC_BAD_ROOT` when `root` is missing, not a directory or unreadable.
 * @throws TypeError when `root` is not a string, or an option is invalid.
 * @example
 * import { createServer } from "@wireweb/http";
 * import { createStaticHandler } from "@wireweb/static";
 * await createServer(createStaticHandler("./public")).listen(8080, "localhost");
 */
export function createStaticHandler(root: string, options: StaticOptions = {}): Handler {
  const server = new StaticServer(realRootOf(root), resolveOptions(options));
  const log = options.log;
  if (log === undefined) return (request, response) => server.handle(request, response);
  return (request, response) => {
    const time = Date.now();
    const ctx = server.contextFor(request, response);
    const write = (status: number) =>
      log(
        formatAccessLog({
          remoteAddress: request.remoteAddress,
          method: request.method,
          target: request.target,
          httpVersion: request.httpVersion,
          status,
          bytes: ctx.sent,
          time,
        }),
      );
    const done = server.handle(request, response, ctx);
    // Answered from memory: the line is known now, and the server gets the settled write back.
    if (response.finished) {
      write(response.statusCode);
      return done;
    }
    return done.then(
      () => write(response.statusCode),
      (error: unknown) => {
        write(response.headersSent ? response.statusCode : 500);
        throw error;
      },
    );
  };
}

function realRootOf(root: string): string {
  if (typeof root !== "string" || root === "") {
    throw new TypeError(`root must be a folder path, got ${JSON.stringify(root)}`);
  }
  const shown = JSON.stringify(root);
  let real: string;
  try {
    real = realpathSync(resolve(root));
  } catch (error) {
    throw new StaticError("WW_STATIC_BAD_ROOT", `root ${shown} does not exist`, {
      path: root,
      cause: error,
    });
  }
  if (!statSync(real).isDirectory()) {
    throw new StaticError("WW_STATIC_BAD_ROOT", `root ${shown} is not a directory`, {
      path: root,
    });
  }
  try {
    accessSync(real, constants.R_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StaticError(
      "WW_STATIC_BAD_ROOT",
      `root ${shown} cannot be read by this process (${code}): check its permissions`,
      { path: root, cause: error },
    );
  }
  return real;
}

/** The handler's state: the real root, the resolved options, and the cache. */
class StaticServer {
  readonly root: string;
  readonly options: ResolvedOptions;
  readonly cache: PathCache;
  readonly #encodings = new Map<string, SiblingEncoding[]>();
  /** Background checks in flight, by request path. */
  readonly #refreshing = new Map<string, Promise<void>>();

  constructor(root: string, options: ResolvedOptions) {
    this.root = root;
    this.options = options;
    this.cache = new PathCache(
      {
        revalidateMs: options.revalidateMs,
        maxEntries: options.cacheFileBytes === 0 ? 0 : options.cacheEntries,
        maxBytes: options.cacheBytes,
      },
      (path) => this.refresh(path),
    );
  }

  contextFor(request: HttpRequest, response: HttpResponse): SendContext {
    return {
      request,
      response,
      isHead: request.method === "HEAD",
      chunkBytes: this.options.chunkBytes,
      sent: 0,
    };
  }

  /** Answers one request; a cached file is answered synchronously, without touching the disk. */
  handle(
    request: HttpRequest,
    response: HttpResponse,
    ctx = this.contextFor(request, response),
  ): Promise<void> {
    const { method } = request;
    if (method !== "GET" && method !== "HEAD") return sendStatus(ctx, 405, { Allow: ALLOW });
    const cached = this.cache.get(request.path, Date.now());
    if (cached !== undefined) return this.sendRepresentation(ctx, this.pickCached(cached, request));
    return this.handleFromDisk(ctx);
  }

  /** The variant of a cached file this request gets (same choice as {@link pickSibling}). */
  pickCached(file: CachedFile, request: HttpRequest): InMemory {
    if (!this.options.precompressed || request.headers.get("range") !== undefined) {
      return file.identity;
    }
    for (const coding of this.accepted(request.headers.get("accept-encoding"))) {
      const sibling = file[coding];
      if (sibling !== null) return sibling;
    }
    return file.identity;
  }

  /** acceptedEncodings, remembered per header value. */
  accepted(header: string | undefined): SiblingEncoding[] {
    if (header === undefined) return [];
    let codings = this.#encodings.get(header);
    if (codings === undefined) {
      codings = acceptedEncodings(header);
      if (this.#encodings.size >= MAX_REMEMBERED_ENCODINGS) this.#encodings.clear();
      this.#encodings.set(header, codings);
    }
    return codings;
  }

  async handleFromDisk(ctx: SendContext): Promise<void> {
    try {
      await this.resolveAndSend(ctx);
    } catch (error) {
      // Once bytes are on the wire the only honest end is to cut the connection: the server
      // does that (and reports the error) when the handler rejects.
      if (!StaticError.is(error) || ctx.response.headersSent) throw error;
      this.options.onError(error);
      return sendStatus(ctx, error.status);
    }
  }

  /** Serves what `request.path` resolves to on disk (and caches it when it can). */
  async resolveAndSend(ctx: SendContext): Promise<void> {
    const { request } = ctx;
    const path = request.path;
    // A background check of this very path is running: its answer is as fresh as ours.
    const refreshing = this.#refreshing.get(path);
    if (refreshing !== undefined) {
      await refreshing;
      const cached = this.cache.get(path, Date.now());
      if (cached !== undefined)
        return this.sendRepresentation(ctx, this.pickCached(cached, request));
    }
    const checkedAt = Date.now();
    const outcome = await this.resolve(path, request.headers.get("range") === undefined);
    switch (outcome.kind) {
      case "status":
        return sendStatus(ctx, outcome.status);
      case "not-found":
        return this.sendNotFound(ctx, outcome.detail);
      case "redirect": {
        const location = directoryLocation(this.root, outcome.target, request.query);
        return sendText(ctx, 301, `Moved to ${location}\n`, {
          Location: location,
          "Content-Type": "text/plain; charset=utf-8",
          "X-Content-Type-Options": "nosniff",
        });
      }
      case "listing":
        return this.sendListing(ctx, outcome.target);
    }
    if (outcome.cached !== undefined) {
      this.cache.set(path, outcome.cached, checkedAt);
      return this.sendRepresentation(ctx, this.pickCached(outcome.cached, request));
    }
    const found = outcome.rep;
    let rep = found;
    try {
      if (this.options.precompressed && request.headers.get("range") === undefined) {
        rep = (await this.pickSibling(request, outcome.filePath)) ?? found;
      }
      return await this.sendRepresentation(ctx, rep);
    } finally {
      await found.file?.close();
      if (rep !== found) await rep.file?.close();
    }
  }

  /**
   * What a request path names on disk right now, after every check: the path itself, the
   * dotfile policy, symlinks (the real path must stay inside the root), the kind of file.
   * A small file comes back complete with its siblings (`cached`), ready for the cache, when
   * `forCache` allows it.
   *
   * @throws StaticError `WW_STATIC_UNREADABLE` (403) or `WW_STATIC_IO` (500).
   */
  async resolve(path: string, forCache: boolean): Promise<Outcome> {
    let target: string;
    try {
      target = resolveSafePath(this.root, path);
    } catch (error) {
      // A refusal carries the status to answer (400 or 403); anything else is a bug.
      if (!UrlError.is(error)) throw error;
      return { kind: "status", status: error.status };
    }
    const dotfiles = checkDotfiles(this.root, target, this.options.dotfiles);
    if (dotfiles === 403) return { kind: "status", status: 403 };
    if (dotfiles === 404) return { kind: "not-found" };
    // resolveSafePath ends the path with a separator for ".../" and for a final "." or "..".
    const wantsDirectory = path.endsWith("/") || target.endsWith(sep);
    const filePath = wantsDirectory ? join(target, this.options.index) : target;
    const found = await this.lookup(filePath, "identity", filePath);
    if (found === DIRECTORY) {
      // A folder named like the index file is no index.
      return wantsDirectory ? { kind: "not-found" } : { kind: "redirect", target };
    }
    if (found === undefined) {
      if (!wantsDirectory) return { kind: "not-found" };
      if (this.options.listing) return { kind: "listing", target };
      const isFolder = (await this.lookup(target, "identity", target)) === DIRECTORY;
      const detail = `This folder has no ${this.options.index}. ${this.options.listingHint}`;
      return { kind: "not-found", detail: isFolder ? detail : undefined };
    }
    const cached = forCache ? await this.completeForCache(filePath, found) : undefined;
    return { kind: "file", filePath, rep: found, cached };
  }

  /**
   * Checks a hot cached path again in the background, before its entry expires, so requests
   * for it keep being answered from memory (without this, every request arriving while the
   * entry is being checked again would go to the disk at once). Whatever the disk says wins:
   * a path that now resolves to anything but a small servable file leaves the cache.
   */
  refresh(path: string): void {
    // The 404 page simply expires: it is looked up again by the next 404.
    if (path === NOT_FOUND_PAGE_KEY || this.#refreshing.has(path)) return;
    const checkedAt = Date.now();
    const done = this.resolve(path, true)
      .then(
        (outcome) => {
          if (outcome.kind === "file" && outcome.cached !== undefined) {
            this.cache.set(path, outcome.cached, checkedAt);
            return;
          }
          this.cache.delete(path);
          if (outcome.kind === "file") return outcome.rep.file?.close();
        },
        // The request that next asks for the path meets the error itself, and reports it.
        () => this.cache.delete(path),
      )
      .finally(() => this.#refreshing.delete(path));
    this.#refreshing.set(path, done);
  }

  /**
   * The file with every sibling looked up, ready to cache; `undefined` when any part is too
   * big to keep or not cacheable (freshly written), and then the request is served from disk.
   */
  async completeForCache(filePath: string, found: Representation): Promise<CachedFile | undefined> {
    if (found.body === undefined || !found.cacheable) return undefined;
    if (this.options.revalidateMs === 0 || this.options.cacheFileBytes === 0) return undefined;
    const identity = found as InMemory;
    if (!this.options.precompressed) return { identity, br: null, gzip: null };
    const siblings: Partial<Record<SiblingEncoding, InMemory | null>> = {};
    for (const { coding, extension } of SIBLING_ENCODINGS) {
      const sibling = await this.lookup(filePath + extension, coding, filePath);
      if (sibling === undefined || sibling === DIRECTORY) {
        siblings[coding] = null;
        continue;
      }
      if (sibling.body === undefined || !sibling.cacheable) {
        await sibling.file?.close();
        return undefined;
      }
      siblings[coding] = sibling as InMemory;
    }
    return { identity, br: siblings.br ?? null, gzip: siblings.gzip ?? null };
  }

  /** The precompressed sibling the client accepts best, if one exists. */
  async pickSibling(request: HttpRequest, filePath: string): Promise<Representation | undefined> {
    for (const coding of this.accepted(request.headers.get("accept-encoding"))) {
      const { extension } = SIBLING_ENCODINGS.find((e) => e.coding === coding)!;
      const sibling = await this.lookup(filePath + extension, coding, filePath);
      if (sibling !== undefined && sibling !== DIRECTORY) return sibling;
    }
    return undefined;
  }

  /** Preconditions, then Range, then the answer (RFC 9110 §13.2.2, §14). */
  sendRepresentation(ctx: SendContext, rep: Representation): Promise<void> {
    const { request } = ctx;
    const outcome = evaluatePreconditions(request.method, request.headers, rep);
    if (outcome === "not-modified") return sendNotModified(ctx, rep);
    if (outcome === "precondition-failed") return sendStatus(ctx, 412);
    const rangeHeader = request.method === "GET" ? request.headers.get("range") : undefined;
    if (rangeHeader === undefined || rep.encoding !== "identity") return sendWhole(ctx, rep, 200);
    const ifRange = request.headers.get("if-range");
    if (ifRange !== undefined && !isIfRangeCurrent(ifRange, rep, Date.now())) {
      return sendWhole(ctx, rep, 200);
    }
    const range = parseRange(rangeHeader, rep.size);
    if (range.kind === "ignore") return sendWhole(ctx, rep, 200);
    if (range.kind === "unsatisfiable") return sendUnsatisfiable(ctx, rep);
    if (range.ranges.length === 1) return sendRange(ctx, rep, range.ranges[0]!);
    return sendMultipart(ctx, rep, range.ranges);
  }

  /**
   * Finds the file at `path` (not yet known to be safe from symlinks): `undefined` if there is
   * no servable regular file, {@link DIRECTORY} for a directory inside the root, else the
   * representation, opened through its real path after checking that path stays inside the
   * root and passes the dotfile policy. `typeName` is the name whose extension gives the
   * Content-Type (the request's, for siblings).
   *
   * @throws StaticError `WW_STATIC_UNREADABLE` when the path exists but may not be read.
   */
  async lookup(
    path: string,
    encoding: Encoding,
    typeName: string,
  ): Promise<Representation | typeof DIRECTORY | undefined> {
    const stats = await statOrUndefined(path);
    if (stats === undefined) return undefined;
    // FIFOs, sockets and devices are never served.
    if (!stats.isFile() && !stats.isDirectory()) return undefined;
    const real = await realpath(path).catch((error) => missingOrThrow(error, path));
    if (real === undefined || !isInside(this.root, real)) return undefined;
    if (checkDotfiles(this.root, real, this.options.dotfiles) !== "serve") return undefined;
    if (stats.isDirectory()) return encoding === "identity" ? DIRECTORY : undefined;
    return this.openFile(real, encoding, contentTypeFor(typeName));
  }

  async openFile(
    real: string,
    encoding: Encoding,
    contentType: string,
  ): Promise<Representation | undefined> {
    const file = await open(real, "r").catch((error) => missingOrThrow(error, real));
    if (file === undefined) return undefined;
    let handedOver = false;
    try {
      // Headers come from the open file's own stat, so they describe the bytes we will send.
      const stats = await file.stat();
      if (!stats.isFile()) return undefined;
      const rep = this.describe(stats, encoding, contentType);
      if (stats.size > this.options.cacheFileBytes) {
        handedOver = true;
        return { ...rep, file };
      }
      const body = await readWhole(file, stats.size);
      // A file still being written (or changed while read) is served, but not kept.
      const cacheable = body.length === stats.size && !isFreshWrite(stats, Date.now());
      return { ...rep, body, cacheable };
    } finally {
      if (!handedOver) await file.close();
    }
  }

  /** Validators and 200 headers for one version of a file, built once per version. */
  describe(stats: Stats, encoding: Encoding, contentType: string): Representation {
    const now = Date.now();
    const etag = etagFor(stats, encoding, now);
    const lastModified = Math.floor(stats.mtimeMs);
    const headers: Record<string, string> = {
      "Content-Type": contentType,
      ETag: etag,
      "Last-Modified": formatHttpDate(lastModified),
      "Cache-Control": this.options.cacheControl,
      "X-Content-Type-Options": "nosniff",
    };
    if (encoding === "identity") headers["Accept-Ranges"] = "bytes";
    else headers["Content-Encoding"] = encoding;
    if (this.options.precompressed) headers.Vary = "Accept-Encoding";
    const cacheable = !isFreshWrite(stats, now);
    return { size: stats.size, etag, lastModified, contentType, encoding, headers, cacheable };
  }

  /**
   * 404, with the root's own `404.html` as the body when it has one, else a small page saying
   * `detail` (why a folder has nothing to show) when given, else a short text.
   */
  async sendNotFound(ctx: SendContext, detail?: string): Promise<void> {
    const page = await this.notFoundPage();
    if (page === undefined) {
      if (detail === undefined) return sendStatus(ctx, 404);
      return sendText(ctx, 404, renderNotFoundPage(detail), {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
      });
    }
    try {
      return await sendWhole(ctx, page, 404, {
        "Content-Type": page.contentType,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
      });
    } finally {
      await page.file?.close();
    }
  }

  /** The root's 404.html, cached like any small file; a page that cannot be read is reported and skipped. */
  async notFoundPage(): Promise<Representation | undefined> {
    const cached = this.cache.get(NOT_FOUND_PAGE_KEY, Date.now());
    if (cached !== undefined) return cached.identity;
    const checkedAt = Date.now();
    let page: Representation | typeof DIRECTORY | undefined;
    try {
      page = await this.lookup(join(this.root, "404.html"), "identity", "404.html");
    } catch (error) {
      if (!StaticError.is(error)) throw error;
      this.options.onError(error);
      return undefined;
    }
    if (page === undefined || page === DIRECTORY) return undefined;
    if (page.body !== undefined && page.cacheable) {
      this.cache.set(
        NOT_FOUND_PAGE_KEY,
        { identity: page as InMemory, br: null, gzip: null },
        checkedAt,
      );
    }
    return page;
  }

  /** An HTML listing of the directory `target` (already known to be inside the root). */
  async sendListing(ctx: SendContext, target: string): Promise<void> {
    const real = await realpath(target).catch(() => undefined);
    if (real === undefined || !isInside(this.root, real)) return this.sendNotFound(ctx);
    const dirents = await readdir(real, { withFileTypes: true }).catch((error) =>
      missingOrThrow(error, real),
    );
    if (dirents === undefined) return this.sendNotFound(ctx);
    const { dotfiles } = this.options;
    const entries: ListingEntry[] = [];
    for (const dirent of dirents.slice(0, LISTING_LIMIT)) {
      if (dotfiles !== "allow" && dirent.name.startsWith(".")) continue;
      const path = join(real, dirent.name);
      if (dirent.isSymbolicLink()) {
        // Only list links whose target would be served.
        const linked = await realpath(path).catch(() => undefined);
        if (linked === undefined || !isInside(this.root, linked)) continue;
        if (checkDotfiles(this.root, linked, dotfiles) !== "serve") continue;
      }
      const stats = await statOrUndefined(path).catch(() => undefined);
      if (stats === undefined || !(stats.isFile() || stats.isDirectory())) continue;
      entries.push({
        name: dirent.name,
        isDirectory: stats.isDirectory(),
        size: stats.size,
        mtimeMs: stats.mtimeMs,
      });
    }
    return sendText(ctx, 200, renderListing(urlPathOf(this.root, target), entries), {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    });
  }
}

/**
 * `undefined` for a file system error that means "nothing here" (answered 404).
 * @throws StaticError for every other one.
 */
function missingOrThrow(error: NodeJS.ErrnoException, path: string): undefined {
  if (NOT_FOUND_CODES.has(error.code ?? "")) return undefined;
  throw fsError(error, path);
}

/** The StaticError for a failed file system call on `path`. */
function fsError(error: NodeJS.ErrnoException, path: string): StaticError {
  const code = error.code ?? "unknown error";
  if (UNREADABLE_CODES.has(code)) {
    return new StaticError(
      "WW_STATIC_UNREADABLE",
      `cannot read ${path}: permission denied (${code})`,
      { path, cause: error },
    );
  }
  return new StaticError("WW_STATIC_IO", `cannot read ${path}: ${code}`, { path, cause: error });
}

/**
 * `stat`, with "not there" as `undefined`.
 * @throws StaticError for "there but unreadable" and any other failure.
 */
function statOrUndefined(path: string): Promise<Stats | undefined> {
  // The callback API: cheaper than fs/promises, and this runs for every uncached request.
  return new Promise((resolve, reject) => {
    stat(path, (error, stats) => {
      if (error === null) resolve(stats);
      else if (NOT_FOUND_CODES.has(error.code ?? "")) resolve(undefined);
      else reject(fsError(error, path));
    });
  });
}
