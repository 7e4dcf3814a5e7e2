import { execFileSync } from "node:child_process";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type MessageStore, openStore, type StoredMessage } from "../src/index.js";
import { listAll } from "./helpers.js";

// Issue 16, item 4, on a real full disk: a 256 KiB tmpfs (mounting needs root; CI runs as root).
// Where mounting is not allowed the test skips and says so; the fault-injection tests in
// recovery.test.ts cover the same paths everywhere.
const mountPoint = mkdtempSync(join(tmpdir(), "wireweb-full-disk-"));
const mounted = tryMount(mountPoint);

function tryMount(folder: string): string | undefined {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", folder], {
      stdio: "pipe",
    });
    return undefined;
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err).trim();
  }
}

if (mounted !== undefined)
  console.warn(`disk-full test skipped: cannot mount a tmpfs (${mounted})`);

/** Fills the file system with `file` until a write fails with ENOSPC. */
function fillUp(file: string): void {
  const fd = openSync(file, "w");
  const block = Buffer.alloc(4096, 0x2e);
  try {
    for (let i = 0; i < 1024; i++) writeSync(fd, block);
    throw new Error("the tmpfs never filled up");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(mounted !== undefined)("a real full disk (tmpfs)", () => {
  let store: MessageStore | undefined;
  afterAll(async () => {
    await store?.close().catch(() => undefined);
    if (mounted === undefined) execFileSync("umount", ["-l", mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it("refuses posts with ENOSPC said once, never acks one that is not stored, and takes posts again once there is room", async () => {
    const file = join(mountPoint, "messages.log");
    const filler = join(mountPoint, "filler");
    const warnings: string[] = [];
    store = await openStore(file, { onWarning: (w) => warnings.push(w) });
    const acked: StoredMessage[] = [await store.append("before the disk filled")];
    fillUp(filler);

    // The log's last page may still hold a post or two; then the disk is full for it too.
    const text = "x".repeat(700);
    let refused: (Error & { code?: string; cause?: { code?: string } }) | undefined;
    for (let i = 0; i < 50 && refused === undefined; i++) {
      await store.append(`${i} ${text}`).then(
        (message) => acked.push(message),
        (err) => {
          refused = err;
        },
      );
    }
    expect(refused?.code).toBe("WW_STORE_NO_SPACE");
    expect(refused?.cause?.code).toBe("ENOSPC");
    // Two more tries while full: still refused, and the operator was told once, with the cause.
    for (const attempt of ["again", "and again"]) {
      await expect(store.append(`${attempt} ${text}`)).rejects.toMatchObject({
        code: "WW_STORE_NO_SPACE",
      });
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("the disk is full (ENOSPC: no space left on device");
    // What is on disk is exactly what was acknowledged: no half-written record at the end.
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(1 + acked.length);

    unlinkSync(filler);
    acked.push(await store.append("after room was made"));
    expect(warnings.slice(1)).toEqual([`message store ${file}: writes succeed again`]);
    expect(await listAll(store)).toEqual(acked);
    await store.close();

    const reopened: string[] = [];
    store = await openStore(file, { onWarning: (w) => reopened.push(w) });
    expect(await listAll(store)).toEqual(acked);
    expect(reopened).toEqual([]);
  });
});
