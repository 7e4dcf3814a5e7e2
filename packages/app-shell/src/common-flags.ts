import { defineFlags, type FlagValues } from "./flags.js";

/** Where to listen: first in `--help`, before the app's own flags. */
export const LISTEN_FLAGS = defineFlags({
  port: {
    type: "integer",
    min: 0,
    max: 65535,
    default: 8080,
    env: "PORT",
    value: "N",
    help: "port to listen on; 0 picks a free port",
  },
  host: {
    type: "string",
    default: "localhost",
    env: "HOST",
    value: "H",
    help: "host name or address to listen on; 0.0.0.0 or :: for every interface",
  },
});

/** How to serve: after the app's own flags in `--help`. */
export const SERVE_FLAGS = defineFlags({
  "tls-cert": {
    type: "path",
    env: "TLS_CERT",
    value: "FILE",
    help: "serve HTTPS with this certificate chain (PEM; needs --tls-key; kill -HUP reloads both files)",
  },
  "tls-key": {
    type: "path",
    env: "TLS_KEY",
    value: "FILE",
    help: "the certificate's private key (PEM)",
  },
  "redirect-http": {
    type: "integer",
    min: 0,
    max: 65535,
    value: "PORT",
    help: "with TLS: also listen on PORT for plain HTTP and answer every request 308 to https://",
  },
  workers: {
    type: "integer",
    min: 1,
    max: 256,
    default: 1,
    env: "WORKERS",
    value: "N",
    help: "run N processes on one port (node:cluster); a worker that dies is replaced",
  },
  quiet: {
    type: "boolean",
    env: "QUIET",
    help: "print no line per request",
  },
  help: { type: "boolean", help: "show this help and exit" },
});

/** The values of the flags every app has. */
export type CommonConfig = FlagValues<typeof LISTEN_FLAGS> & FlagValues<typeof SERVE_FLAGS>;
