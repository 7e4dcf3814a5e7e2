// Public surface of @wireweb/url: named re-exports only.
