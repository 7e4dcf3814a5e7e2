import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// Runs every ```ts block of the README against the source, so the examples cannot rot, and
// checks each `expression; // => value` line: the value shown must be the value computed.
const here = fileURLToPath(new URL(".", import.meta.url));
const readme = readFileSync(join(here, "..", "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const scratch = mkdtempSync(join(here, ".readme-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `{ message: ["a"] }` as the README writes it (inspect-like) → JSON text. */
function shownToJson(shown: string): string {
  return shown.replace(/^\[Object: null prototype\] /, "").replace(/([{,]\s*)(\w+):/g, '$1"$2":');
}

/** Rewrites `expr; // => value` lines into checks that collect [computed, shown] pairs. */
function instrument(code: string): { code: string; checks: number } {
  let checks = 0;
  const out = code.replace(/^([ \t]*)(.+?);[ \t]*\/\/ => (.+)$/gm, (_line, indent, expr, shown) => {
    checks++;
    const json = JSON.stringify(shownToJson(shown));
    return `${indent}globalThis.__readmeChecks.push([${JSON.stringify(expr)}, ${expr}, ${json}]);`;
  });
  return { code: out, checks };
}

describe("README examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))("block %i runs", async (i, code) => {
    const source = pathToFileURL(join(here, "..", "src", "index.ts")).href;
    const file = join(scratch, `block-${i}.ts`);
    const { code: checked, checks } = instrument(code);
    writeFileSync(file, checked.replaceAll('"@wireweb/querystring"', JSON.stringify(source)));
    const seen: [string, unknown, string][] = [];
    (globalThis as { __readmeChecks?: unknown }).__readmeChecks = seen;
    await import(pathToFileURL(file).href);
    expect(seen).toHaveLength(checks);
    for (const [expr, computed, shown] of seen) {
      expect({ expr, value: JSON.parse(JSON.stringify(computed)) }).toEqual({
        expr,
        value: JSON.parse(shown),
      });
    }
  });

  it("checks the values the README shows", () => {
    const total = blocks.reduce((n, code) => n + instrument(code).checks, 0);
    expect(total).toBeGreaterThanOrEqual(6);
  });
});
