// Public surface of @wireweb/message-store: named re-exports only.
export { MessageStoreError, type MessageStoreErrorCode } from "./errors.js";
export { MAX_LIST_LIMIT } from "./file-message-store.js";
export { DEFAULT_MAX_MESSAGE_BYTES, openStore } from "./open-store.js";
export { Subscription } from "./subscription.js";
export type {
  Cursor,
  ListOptions,
  MessagePage,
  MessageStore,
  OpenStoreOptions,
  StoredMessage,
  StoreEvent,
  StoreFileSystem,
} from "./types.js";
