import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { removeDotSegments } from "../src/index.js";

const RUNS = Number(process.env.WIREWEB_FUZZ_RUNS ?? 1000);

/** The RFC 3986 §5.2.4 algorithm transcribed literally, on strings: the reference. */
function reference(path: string): string {
  let input = path;
  let output = "";
  while (input.length > 0) {
    if (input.startsWith("../")) input = input.slice(3);
    else if (input.startsWith("./")) input = input.slice(2);
    else if (input.startsWith("/./")) input = input.slice(2);
    else if (input === "/.") input = "/";
    else if (input.startsWith("/../") || input === "/..") {
      input = input === "/.." ? "/" : input.slice(3);
      const cut = output.lastIndexOf("/");
      output = cut === -1 ? "" : output.slice(0, cut);
    } else if (input === "." || input === "..") input = "";
    else {
      const next = input.indexOf("/", input.startsWith("/") ? 1 : 0);
      const end = next === -1 ? input.length : next;
      output += input.slice(0, end);
      input = input.slice(end);
    }
  }
  return output;
}

describe("removeDotSegments", () => {
  // RFC 3986 §5.2.4 and the §5.4 reference-resolution examples (their merged paths).
  it.each([
    ["/a/b/c/./../../g", "/a/g"],
    ["mid/content=5/../6", "mid/6"],
    ["/b/c/g", "/b/c/g"],
    ["/b/c/./g", "/b/c/g"],
    ["/b/c/../g", "/b/g"],
    ["/b/c/../..", "/"],
    ["/b/c/../../g", "/g"],
    ["/b/c/../../../g", "/g"],
    ["/b/c/../../../../g", "/g"],
    ["/b/c/.", "/b/c/"],
    ["/b/c/..", "/b/"],
    ["/b/c/g.", "/b/c/g."],
    ["/b/c/.g", "/b/c/.g"],
    ["/b/c/g..", "/b/c/g.."],
    ["/b/c/..g", "/b/c/..g"],
    ["/b/c/./../g", "/b/g"],
    ["/b/c/./g/.", "/b/c/g/"],
    ["/b/c/g/./h", "/b/c/g/h"],
    ["/b/c/g/../h", "/b/c/h"],
    ["../a", "a"],
    ["./a", "a"],
    [".", ""],
    ["..", ""],
    ["", ""],
    ["//a/../b", "//b"],
    ["/a//../b", "/a/b"],
  ])("%s -> %s", (input, expected) => {
    expect(removeDotSegments(input)).toBe(expected);
    expect(reference(input)).toBe(expected);
  });

  it("agrees with the literal RFC algorithm (property)", () => {
    const piece = fc.constantFrom(".", "..", "", "a", "b", "...", ".a");
    const path = fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 10 }), fc.boolean());
    fc.assert(
      fc.property(path, ([absolute, parts, slash]) => {
        const input = (absolute ? "/" : "") + parts.join("/") + (slash ? "/" : "");
        expect(removeDotSegments(input)).toBe(reference(input));
      }),
      { numRuns: RUNS },
    );
  });
});
