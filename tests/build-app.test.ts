import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// scripts/build-app.mjs is every app's `prestart`. turbo prints a banner and a summary even on a
// full cache hit; the script shows them only when the build fails (issue 16: "turbo's banner
// before every --help"). A stand-in `turbo` on PATH plays both outcomes.

const SCRIPT = join(import.meta.dirname, "..", "scripts", "build-app.mjs");
const bin = mkdtempSync(join(tmpdir(), "wireweb-fake-turbo-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function fakeTurbo(exitCode: number): void {
  const file = join(bin, "turbo");
  writeFileSync(
    file,
    `#!/bin/sh\necho "   • turbo 2.11.11"\necho "args: $*"\necho "Tasks: 2 successful" >&2\nexit ${exitCode}\n`,
  );
  chmodSync(file, 0o755);
}

function runScript(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT, "tiny-server"],
      { env: { PATH: `${bin}:${process.env.PATH}` } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe("scripts/build-app.mjs", () => {
  it("prints nothing when the build succeeds", async () => {
    fakeTurbo(0);
    expect(await runScript()).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("shows turbo's output and its exit code when the build fails", async () => {
    fakeTurbo(3);
    const result = await runScript();
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      "args: run build --filter=tiny-server... --output-logs=errors-only",
    );
    expect(result.stderr).toContain("Tasks: 2 successful");
    expect(result.stderr).toContain("tiny-server: the build failed (turbo exit code 3)");
  });
});
