import { open, readFile, unlink } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { MessageStoreError } from "./errors.js";

/**
 * Takes `<log>.lock`, created with O_EXCL and holding this process's pid, so that a second
 * writer is refused. A lock whose pid no longer runs was left by a killed process and is taken
 * over. Limits: pids are per host and per pid namespace (a log shared over NFS or between
 * containers is not protected), and a recycled pid keeps a stale lock looking alive (then
 * delete the lock file by hand).
 *
 * @throws MessageStoreError WW_STORE_LOCKED, WW_STORE_IO
 */
export async function acquireLock(lockFile: string, file: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await tryCreate(lockFile)) return;
    const owner = await readOwner(lockFile);
    if (owner === undefined) continue; // vanished between our attempts: try again
    if (owner !== null && isRunning(owner)) throw locked(file, lockFile, owner);
    // Stale: its owner is gone (or it never got a pid written). Re-read just before removing
    // so that a lock retaken meanwhile by a live process is not the one we delete.
    if ((await readOwner(lockFile)) !== owner) continue;
    await unlink(lockFile).catch(ignoreMissing);
  }
  const owner = await readOwner(lockFile);
  throw locked(file, lockFile, owner ?? null);
}

/** Removes the lock file taken by {@link acquireLock}. */
export async function releaseLock(lockFile: string): Promise<void> {
  await unlink(lockFile).catch(ignoreMissing);
}

async function tryCreate(lockFile: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(lockFile, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new MessageStoreError("WW_STORE_IO", `cannot create lock file ${lockFile}`, {
      file: lockFile,
      cause: err,
    });
  }
  try {
    await handle.writeFile(`${process.pid}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

/** The pid in the lock file; null if it holds none; undefined if the file is gone. */
async function readOwner(lockFile: string): Promise<number | null | undefined> {
  for (let tries = 0; ; tries++) {
    let text: string;
    try {
      text = await readFile(lockFile, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new MessageStoreError("WW_STORE_IO", `cannot read lock file ${lockFile}`, {
        file: lockFile,
        cause: err,
      });
    }
    const pid = /^(\d{1,10})\n?$/.exec(text);
    if (pid !== null) return Number(pid[1]);
    // An empty file may be a lock being created right now: give its writer a moment.
    if (tries >= 2) return null;
    await sleep(50);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function locked(file: string, lockFile: string, owner: number | null): MessageStoreError {
  const who = owner === null ? "another process" : `process ${owner}`;
  return new MessageStoreError(
    "WW_STORE_LOCKED",
    `message store ${file} is in use by ${who} (lock file ${lockFile}); ` +
      "only one process may write a log",
    { file },
  );
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
}
