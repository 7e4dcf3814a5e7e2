#!/usr/bin/env node
// An app's `prestart`: builds the app and the packages it uses with turbo, quietly. turbo prints
// a banner and a summary on every run, even a full cache hit, so `pnpm --filter X start --help`
// used to open with a dozen lines of turbo; now its output is shown only when the build fails.
import { spawn } from "node:child_process";

const app = process.argv[2];
if (app === undefined) {
  process.stderr.write("usage: node scripts/build-app.mjs <app>\n");
  process.exit(2);
}
const turbo = spawn("turbo", ["run", "build", `--filter=${app}...`, "--output-logs=errors-only"], {
  stdio: ["ignore", "pipe", "pipe"],
});
const output = [];
turbo.stdout.on("data", (chunk) => output.push(chunk));
turbo.stderr.on("data", (chunk) => output.push(chunk));
// A first start compiles everything: say why nothing happens yet.
const notice = setTimeout(
  () => process.stderr.write(`building ${app} and the packages it uses…\n`),
  1500,
);
turbo.on("error", (error) => {
  clearTimeout(notice);
  process.stderr.write(`${app}: cannot run turbo to build (${error.message}); run pnpm install\n`);
  process.exit(1);
});
turbo.on("close", (code, signal) => {
  clearTimeout(notice);
  if (code === 0) return;
  process.stderr.write(Buffer.concat(output));
  process.stderr.write(`${app}: the build failed (turbo ${signal ?? `exit code ${code}`})\n`);
  process.exit(code ?? 1);
});
