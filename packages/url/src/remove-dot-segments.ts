const SLASH = 0x2f;
const DOT = 0x2e;

/**
 * Removes `.` and `..` segments exactly as RFC 3986 §5.2.4 `remove_dot_segments` does. Like the
 * RFC it never fails: a `..` above the top is dropped (clamped). Use {@link resolveSafePath} to
 * map a request onto files, which refuses such climbs instead.
 *
 * @example
 * removeDotSegments("/a/b/c/./../../g"); // "/a/g"
 * removeDotSegments("mid/content=5/../6"); // "mid/6"
 */
export function removeDotSegments(path: string): string {
  if (typeof path !== "string") throw new TypeError("path must be a string");
  // Fast path: no "." right after a "/" or at the start means there is no dot segment.
  if (path.charCodeAt(0) !== DOT && path.indexOf("/.") === -1) return path;
  // The output buffer as a list of moved pieces, so that step C's "remove the last segment
  // and its preceding '/'" is a pop; each piece is "/name" (or "name" first, if relative).
  const output: string[] = [];
  const length = path.length;
  let i = 0;
  while (i < length) {
    const c0 = path.charCodeAt(i);
    const c1 = path.charCodeAt(i + 1);
    const c2 = path.charCodeAt(i + 2);
    const c3 = path.charCodeAt(i + 3);
    if (c0 === DOT && c1 === DOT && c2 === SLASH) {
      i += 3; // A: "../"
    } else if (c0 === DOT && c1 === SLASH) {
      i += 2; // A: "./"
    } else if (c0 === SLASH && c1 === DOT && c2 === SLASH) {
      i += 2; // B: "/./" becomes "/"
    } else if (c0 === SLASH && c1 === DOT && i + 2 === length) {
      output.push("/"); // B: a final "/." becomes "/"
      break;
    } else if (c0 === SLASH && c1 === DOT && c2 === DOT && c3 === SLASH) {
      i += 3; // C: "/../" becomes "/" and drops the last output segment
      output.pop();
    } else if (c0 === SLASH && c1 === DOT && c2 === DOT && i + 3 === length) {
      output.pop(); // C: a final "/.." becomes "/"
      output.push("/");
      break;
    } else if ((c0 === DOT && i + 1 === length) || (c0 === DOT && c1 === DOT && i + 2 === length)) {
      break; // D: a lone "." or ".."
    } else {
      // E: move the first segment, with its leading "/" if any, up to the next "/".
      let end = path.indexOf("/", c0 === SLASH ? i + 1 : i);
      if (end === -1) end = length;
      output.push(path.slice(i, end));
      i = end;
    }
  }
  return output.join("");
}
