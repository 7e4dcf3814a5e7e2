// Public surface of @wireweb/message-store-postgres: named re-exports only.
export { openPostgresStore, type PostgresStoreOptions } from "./open-postgres-store.js";
