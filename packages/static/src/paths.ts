import { sep } from "node:path";
import type { DotfilePolicy } from "./options.js";

/** Whether `path` is `root` itself or lies below it (a separator-aware prefix test). */
export function isInside(root: string, path: string): boolean {
  if (path === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(prefix);
}

/**
 * What the dotfile policy says about `path` (below `root`): "serve", or the status to answer.
 * A segment starting with "." is hidden unless the policy is `allow`; `.well-known` as the
 * first segment (RFC 8615) is always served. `ignore` answers 404 so the file's existence is
 * not revealed; `deny` answers 403.
 */
export function checkDotfiles(
  root: string,
  path: string,
  policy: DotfilePolicy,
): "serve" | 403 | 404 {
  if (policy === "allow") return "serve";
  // The common case, no dot segment at all, without splitting the path.
  if (path.indexOf(`${sep}.`, root.length - 1) < 0) return "serve";
  const segments = path.slice(root.length).split(sep);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.charCodeAt(0) !== 46) continue; // "."
    if (segment === ".well-known" && isFirstSegment(segments, i)) continue;
    return policy === "deny" ? 403 : 404;
  }
  return "serve";
}

function isFirstSegment(segments: string[], index: number): boolean {
  for (let i = 0; i < index; i++) if (segments[i] !== "") return false;
  return true;
}

/** The URL path of a file below `root`, with "/" separators, for display in listings. */
export function urlPathOf(root: string, path: string): string {
  const relative = path.slice(root.length).split(sep).filter(Boolean).join("/");
  return relative === "" ? "/" : `/${relative}/`;
}

/**
 * The `Location` for the trailing-slash redirect of the directory `path` (below `root`): its
 * URL path, rebuilt from the resolved file path with each segment percent-encoded, plus "/" and
 * the query. Never built from the raw request path, so `//evil.example` or dot segments cannot
 * turn it into a protocol-relative redirect to another host (CVE-2021-28861 in Python's
 * http.server) or a path other than the one that was resolved.
 */
export function directoryLocation(root: string, path: string, query: string): string {
  const segments = path.slice(root.length).split(sep).filter(Boolean).map(encodeURIComponent);
  const location = segments.length === 0 ? "/" : `/${segments.join("/")}/`;
  return query === "" ? location : `${location}?${query}`;
}
