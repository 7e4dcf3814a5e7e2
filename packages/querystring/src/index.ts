// Public surface of @wireweb/querystring: named re-exports only.
