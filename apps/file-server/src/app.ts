import type { Stats } from "node:fs";
import { realpathSync, stat, statSync } from "node:fs";
import { open, readdir, realpath } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import type { Handler, HttpRequest, HttpResponse } from "@wireweb/http";
import { resolveSafePath, UrlError } from "@wireweb/url";
import { acceptedEncodings, SIBLING_ENCODINGS } from "./accept-encoding.js";
import { formatAccessLog } from "./access-log.js";
import { evaluatePreconditions, isIfRangeCurrent } from "./conditional.js";
import { contentTypeFor } from "./content-type.js";
import { etagFor, isFreshWrite } from "./etag.js";
import { readWhole } from "./file-stream.js";
import { formatHttpDate } from "./http-date.js";
import { type ListingEntry, renderListing } from "./listing.js";
import type { DotfilePolicy, FileHandlerOptions } from "./options.js";
import { checkDotfiles, directoryLocation, isInside, urlPathOf } from "./paths.js";
import { parseRange } from "./range.js";
import type { Encoding, Representation } from "./representation.js";
import { ResponseCache } from "./response-cache.js";
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

// The options are part of this module's interface: import them from here.
export type { DotfilePolicy, FileHandlerOptions } from "./options.js";

const ALLOW = "GET, HEAD";
const LISTING_LIMIT = 10_000;
const NOT_FOUND_CODES = new Set(["ENOENT", "ENOTDIR", "ENAMETOOLONG", "ELOOP", "EACCES", "EPERM"]);

/** A directory found where a file was asked for (it gets a redirect or its index). */
const DIRECTORY = Symbol("directory");

/**
 * Creates the file server's request handler for `@wireweb/http`: GET and HEAD of the files
 * below `root`, with validators, conditional requests, ranges, precompressed siblings,
 * directory redirects and indexes, an optional listing and a custom `404.html`.
 * Nothing outside the real path of `root` is ever opened: the request path goes through
 * `resolveSafePath`, and the real path of every file (symlinks resolved) must stay inside.
 *
 * @throws TypeError when `root` is not an existing directory, or an option is invalid.
 * @example createServer(createFileHandler("./public", { listing: true })).listen(8080)
 */
export function createFileHandler(root: string, options: FileHandlerOptions = {}): Handler {
  const server = new FileServer(realRootOf(root), options);
  const log = options.log;
  if (log === undefined)
    return (request, response) => server.handle(request, response).then(() => {});
  return async (request, response) => {
    const time = Date.now();
    let bytes = 0;
    let failed = true;
    try {
      bytes = await server.handle(request, response);
      failed = false;
    } finally {
      const status = failed && !response.headersSent ? 500 : response.statusCode;
      log(
        formatAccessLog({
          remoteAddress: request.remoteAddress,
          method: request.method,
          target: request.target,
          httpVersion: request.httpVersion,
          status,
          bytes,
          time,
        }),
      );
    }
  };
}

function realRootOf(root: string): string {
  if (typeof root !== "string" || root === "") {
    throw new TypeError(`root must be a folder path, got ${JSON.stringify(root)}`);
  }
  let real: string;
  try {
    real = realpathSync(resolve(root));
  } catch (error) {
    throw new TypeError(`root ${JSON.stringify(root)} does not exist`, { cause: error });
  }
  if (!statSync(real).isDirectory()) {
    throw new TypeError(`root ${JSON.stringify(root)} is not a directory`);
  }
  return real;
}

function cacheControlOf(options: FileHandlerOptions): string {
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

/** The handler's state: the real root, the resolved options, and the small-file cache. */
class FileServer {
  readonly root: string;
  readonly listing: boolean;
  readonly dotfiles: DotfilePolicy;
  readonly precompressed: boolean;
  readonly index: string;
  readonly cacheControl: string;
  readonly chunkBytes: number;
  readonly cache: ResponseCache<Representation & { body: Buffer }>;

  constructor(root: string, options: FileHandlerOptions) {
    this.root = root;
    this.listing = options.listing ?? false;
    this.dotfiles = options.dotfiles ?? "ignore";
    if (!["ignore", "deny", "allow"].includes(this.dotfiles)) {
      throw new TypeError(`option dotfiles is invalid: ${options.dotfiles}`);
    }
    this.precompressed = options.precompressed ?? true;
    this.index = options.index ?? "index.html";
    if (this.index === "" || this.index.includes("/") || this.index.includes(sep)) {
      throw new TypeError(`option index is invalid: ${options.index}`);
    }
    this.cacheControl = cacheControlOf(options);
    this.chunkBytes = options.chunkBytes ?? 1024 * 1024;
    if (!Number.isInteger(this.chunkBytes) || this.chunkBytes < 1) {
      throw new TypeError(`option chunkBytes is invalid: ${options.chunkBytes}`);
    }
    this.cache = new ResponseCache({
      maxEntryBytes: options.cacheEntryBytes,
      maxTotalBytes: options.cacheTotalBytes,
    });
  }

  /** Answers one request; resolves with the body bytes sent (for the access log). */
  async handle(request: HttpRequest, response: HttpResponse): Promise<number> {
    const ctx: SendContext = {
      response,
      isHead: request.method === "HEAD",
      signal: request.signal,
      chunkBytes: this.chunkBytes,
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      return sendStatus(ctx, 405, { Allow: ALLOW });
    }
    let target: string;
    try {
      target = resolveSafePath(this.root, request.path);
    } catch (error) {
      // A refusal carries the status to answer (400 or 403); anything else is a bug.
      if (!UrlError.is(error)) throw error;
      return sendStatus(ctx, error.status);
    }
    const dotfiles = checkDotfiles(this.root, target, this.dotfiles);
    if (dotfiles === 403) return sendStatus(ctx, 403);
    if (dotfiles === 404) return this.sendNotFound(ctx);
    // resolveSafePath ends the path with a separator for ".../" and for a final "." or "..".
    const wantsDirectory = request.path.endsWith("/") || target.endsWith(sep);
    const filePath = wantsDirectory ? join(target, this.index) : target;
    const found = await this.lookup(filePath, "identity", filePath);
    if (found === DIRECTORY) {
      if (wantsDirectory) return this.sendNotFound(ctx);
      const location = directoryLocation(this.root, target, request.query);
      return sendText(ctx, 301, `Moved to ${location}\n`, {
        Location: location,
        "Content-Type": "text/plain; charset=utf-8",
        "X-Content-Type-Options": "nosniff",
      });
    }
    if (found === undefined) {
      if (wantsDirectory && this.listing) return this.sendListing(ctx, target);
      return this.sendNotFound(ctx);
    }
    let rep = found;
    try {
      if (this.precompressed && request.headers.get("range") === undefined) {
        rep = (await this.pickSibling(request, filePath)) ?? found;
      }
      return await this.sendRepresentation(request, ctx, rep);
    } finally {
      await found.file?.close();
      if (rep !== found) await rep.file?.close();
    }
  }

  /** The precompressed sibling the client accepts best, if one exists. */
  async pickSibling(request: HttpRequest, filePath: string) {
    for (const coding of acceptedEncodings(request.headers.get("accept-encoding"))) {
      const { extension } = SIBLING_ENCODINGS.find((e) => e.coding === coding)!;
      const sibling = await this.lookup(filePath + extension, coding, filePath);
      if (sibling !== undefined && sibling !== DIRECTORY) return sibling;
    }
    return undefined;
  }

  async sendRepresentation(
    request: HttpRequest,
    ctx: SendContext,
    rep: Representation,
  ): Promise<number> {
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
   * representation — from the cache when a fresh stat shows the same file unchanged, otherwise
   * opened through its real path after checking that path stays inside the root.
   * `typeName` is the name whose extension gives the Content-Type (the request's, for siblings).
   */
  async lookup(
    path: string,
    encoding: Encoding,
    typeName: string,
  ): Promise<Representation | typeof DIRECTORY | undefined> {
    const stats = await statOrUndefined(path);
    if (stats === undefined) return undefined;
    const key = encoding === "identity" ? path : `${path}\0${encoding}`;
    if (stats.isFile()) {
      const cached = this.cache.get(key, stats);
      if (cached !== undefined) return cached;
    } else if (!stats.isDirectory()) {
      return undefined; // FIFOs, sockets and devices are never served.
    }
    const real = await realpath(path).catch(() => undefined);
    if (real === undefined || !isInside(this.root, real)) return undefined;
    if (checkDotfiles(this.root, real, this.dotfiles) !== "serve") return undefined;
    if (stats.isDirectory()) return encoding === "identity" ? DIRECTORY : undefined;
    return this.openFile(real, key, encoding, contentTypeFor(typeName));
  }

  async openFile(
    real: string,
    key: string,
    encoding: Encoding,
    contentType: string,
  ): Promise<Representation | undefined> {
    const file = await open(real, "r").catch(() => undefined);
    if (file === undefined) return undefined;
    let handedOver = false;
    try {
      // Headers come from the open file's own stat, so they describe the bytes we will send.
      const stats = await file.stat();
      if (!stats.isFile()) return undefined;
      const rep = this.describe(stats, encoding, contentType);
      if (stats.size > this.cache.maxEntryBytes) {
        handedOver = true;
        return { ...rep, file };
      }
      const body = await readWhole(file, stats.size);
      const small = { ...rep, body };
      // A file still being written (or changed while read) is served but not kept.
      if (body.length === stats.size && !isFreshWrite(stats, Date.now())) {
        this.cache.set(key, stats, small);
      }
      return small;
    } finally {
      if (!handedOver) await file.close();
    }
  }

  /** Validators and 200 headers for one version of a file, built once per version. */
  describe(stats: Stats, encoding: Encoding, contentType: string): Representation {
    const etag = etagFor(stats, encoding, Date.now());
    const lastModified = Math.floor(stats.mtimeMs);
    const headers: Record<string, string> = {
      "Content-Type": contentType,
      ETag: etag,
      "Last-Modified": formatHttpDate(lastModified),
      "Cache-Control": this.cacheControl,
      "X-Content-Type-Options": "nosniff",
    };
    if (encoding === "identity") headers["Accept-Ranges"] = "bytes";
    else headers["Content-Encoding"] = encoding;
    if (this.precompressed) headers.Vary = "Accept-Encoding";
    return { size: stats.size, etag, lastModified, contentType, encoding, headers };
  }

  /** 404, with the root's own `404.html` as the body when it has one. */
  async sendNotFound(ctx: SendContext): Promise<number> {
    const page = await this.lookup(join(this.root, "404.html"), "identity", "404.html");
    if (page === undefined || page === DIRECTORY) return sendStatus(ctx, 404);
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

  /** An HTML listing of the directory `target` (already known to be inside the root). */
  async sendListing(ctx: SendContext, target: string): Promise<number> {
    const real = await realpath(target).catch(() => undefined);
    if (real === undefined || !isInside(this.root, real)) return this.sendNotFound(ctx);
    const dirents = await readdir(real, { withFileTypes: true }).catch(() => undefined);
    if (dirents === undefined) return this.sendNotFound(ctx);
    const entries: ListingEntry[] = [];
    for (const dirent of dirents.slice(0, LISTING_LIMIT)) {
      if (this.dotfiles !== "allow" && dirent.name.startsWith(".")) continue;
      const path = join(real, dirent.name);
      if (dirent.isSymbolicLink()) {
        // Only list links whose target would be served.
        const linked = await realpath(path).catch(() => undefined);
        if (linked === undefined || !isInside(this.root, linked)) continue;
        if (checkDotfiles(this.root, linked, this.dotfiles) !== "serve") continue;
      }
      const stats = await statOrUndefined(path);
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

/** `stat`, with "not there" (or not reachable) as `undefined`; other errors reject. */
function statOrUndefined(path: string): Promise<Stats | undefined> {
  // The callback API: this runs on every request, and it is a third cheaper than fs/promises.
  return new Promise((resolve, reject) => {
    stat(path, (error, stats) => {
      if (error === null) resolve(stats);
      else if (NOT_FOUND_CODES.has(error.code ?? "")) resolve(undefined);
      else reject(error);
    });
  });
}
