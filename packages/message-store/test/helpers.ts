import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MessageStore, type OpenStoreOptions, openStore } from "../src/index.js";

/** Temporary folders and open stores of one test file, removed and closed after each test. */
export function scratch() {
  const folders: string[] = [];
  const stores: MessageStore[] = [];
  return {
    async folder(): Promise<string> {
      const folder = await mkdtemp(join(tmpdir(), "wireweb-store-"));
      folders.push(folder);
      return folder;
    },
    async file(name = "messages.log"): Promise<string> {
      return join(await this.folder(), name);
    },
    async open(file: string, options: OpenStoreOptions = {}): Promise<MessageStore> {
      const store = await openStore(file, { onWarning: () => {}, ...options });
      stores.push(store);
      return store;
    },
    async cleanup(): Promise<void> {
      await Promise.allSettled(stores.splice(0).map((store) => store.close()));
      await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
    },
  };
}

export async function sha256(file: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}

/** Every message in the store, oldest first. */
export async function listAll(store: MessageStore) {
  return (await store.list({ limit: 100_000 })).messages;
}

/** Rejection of `promise` (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}
