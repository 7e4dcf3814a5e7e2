// Public surface of @wireweb/message-store: named re-exports only.
