import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Packs every public package exactly as `pnpm publish` would, installs the tarballs into a
// project outside the workspace, and loads them there: a broken `exports` map, a file missing
// from `files`, or a dependency on something unpublished fails here instead of on npm.

const ROOT = join(import.meta.dirname, "..");
const PACKAGES = readdirSync(join(ROOT, "packages"))
  .map((dir) => ({
    dir: join(ROOT, "packages", dir),
    manifest: readJson(join(ROOT, "packages", dir, "package.json")),
  }))
  .filter(({ manifest }) => !manifest.private);

function readJson(file: string): { name: string; private?: boolean; version: string } {
  return JSON.parse(readFileSync(file, "utf8"));
}

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "wireweb-consumer-"));
  const tarballs = join(project, "tarballs");
  for (const { dir } of PACKAGES) {
    run("pnpm", ["pack", "--pack-destination", tarballs], dir);
  }
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", ...files],
    project,
  );
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe.each(PACKAGES.map(({ dir, manifest }) => [manifest.name, dir]))(
  "%s from its tarball",
  (name, dir) => {
    it("imports as ESM with the same named exports as the workspace build", async () => {
      const script = `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).sort().join(","));`;
      const out = run(process.execPath, ["--input-type=module", "-e", script], project).trim();
      const built = Object.keys(await import(pathToFileURL(join(dir, "dist", "index.js")).href));
      expect(built.length).toBeGreaterThan(0);
      expect(out.split(",")).toEqual(built.sort());
    });

    it("loads with require() from CommonJS (Node >= 20.19)", () => {
      writeFileSync(
        join(project, "load.cjs"),
        `const m = require(${JSON.stringify(name)}); console.log(Object.keys(m).sort().join(","));`,
      );
      const fromRequire = run(process.execPath, ["load.cjs"], project).trim();
      const script = `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).sort().join(","));`;
      const fromImport = run(
        process.execPath,
        ["--input-type=module", "-e", script],
        project,
      ).trim();
      expect(fromRequire).toBe(fromImport);
    });

    it("ships dist, its README, its LICENSE and its manifest, and nothing else", () => {
      const installed = join(project, "node_modules", ...name.split("/"));
      const top = readdirSync(installed).filter((file) => file !== "CHANGELOG.md");
      expect(top.sort()).toEqual(["LICENSE", "README.md", "dist", "package.json"]);
      expect(readFileSync(join(installed, "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
      expect(readdirSync(join(installed, "dist"))).toContain("index.d.ts");
    });

    it("has the metadata a registry page shows", () => {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const folder = `packages/${dir.split(/[\\/]/).pop()}`;
      expect(manifest).toMatchObject({
        license: "MIT",
        engines: { node: "^20.19.0 || >=22.12.0" },
        repository: { type: "git", directory: folder },
        homepage: expect.stringMatching(new RegExp(`/tree/main/${folder}#readme$`)),
        bugs: { url: expect.stringMatching(/^https:\/\/github\.com\/.+\/issues$/) },
      });
      // Real keywords: more than the project's own name.
      expect(manifest.keywords.filter((word: string) => word !== "wireweb").length).toBeGreaterThan(
        2,
      );
    });
  },
);
