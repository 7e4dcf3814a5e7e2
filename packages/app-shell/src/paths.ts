/**
 * The directory the user typed the command in. `pnpm --filter file-server start` runs the
 * script in the app's own folder, so `process.cwd()` is `apps/file-server`; pnpm (and npm) put
 * the directory it was started from in `INIT_CWD`. Only trusted while a package script runs
 * (`npm_lifecycle_event` set): a stale `INIT_CWD` left in a shell that pnpm started must not
 * redirect a later plain `node dist/main.js`.
 */
export function invocationDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const initCwd = env.npm_lifecycle_event === undefined ? undefined : env.INIT_CWD;
  return initCwd === undefined || initCwd === "" ? process.cwd() : initCwd;
}
