import { AdapterRequest, NativeRequest } from "./lazy-request.js";
import { LightResponse, NativeResponse } from "./light-response.js";

function replace(name: "Request" | "Response", native: unknown, value: unknown): void {
  // Another adapter (or an earlier call) already replaced it: two must not fight over a global.
  if (globalThis[name] !== native) return;
  Object.defineProperty(globalThis, name, {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/**
 * The one place the fetch adapter touches globals: `Response` becomes the light one (see
 * light-response.ts) and `Request` the native class that also accepts the adapter's lazy
 * requests (see lazy-request.ts). @hono/node-server replaces the same two, for the same reasons.
 */
export function installFetchGlobals(): void {
  replace("Response", NativeResponse, LightResponse);
  replace("Request", NativeRequest, AdapterRequest);
}
