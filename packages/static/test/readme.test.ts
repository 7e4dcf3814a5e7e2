import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// Runs every ```ts block of the README against the source, so the examples cannot rot.
const here = fileURLToPath(new URL(".", import.meta.url));
const readme = readFileSync(join(here, "..", "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const scratch = mkdtempSync(join(here, ".readme-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("README examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))("block %i runs", async (i, code) => {
    const source = pathToFileURL(join(here, "..", "src", "index.ts")).href;
    const file = join(scratch, `block-${i}.ts`);
    writeFileSync(file, code.replaceAll('"@wireweb/static"', JSON.stringify(source)));
    await import(pathToFileURL(file).href);
  });
});
