/**
 * A `Response` that only remembers its arguments. Node's own `new Response("hi")` builds a
 * Headers object, a ReadableStream around the string and WebIDL conversions: about ten times
 * what parsing the request costs. Handlers return a response to be written, not read, so
 * this one keeps `(body, init)` as given, answers `status`, `statusText`, `ok` and `headers`
 * itself, and builds the real Response only when something else is asked of it (`body`,
 * `text()`, `clone()`, …). The fetch adapter writes the kept parts straight to the socket.
 *
 * Frameworks call the global `Response`, so the adapter installs this class as
 * `globalThis.Response` (fetch-globals.ts; as @hono/node-server does; option
 * `replaceGlobals: false` keeps the native one). `instanceof Response` stays true for both kinds, and statics (`Response.json`,
 * `Response.redirect`, `Response.error`) are the native ones.
 */

const NativeResponse: typeof Response = globalThis.Response;

type HeadersInit = ConstructorParameters<typeof Headers>[0];
type BodyInit = ConstructorParameters<typeof Response>[0];
/** ResponseInit without its readonly marks, to build one. */
type Init = { status?: number; statusText?: string; headers?: HeadersInit };

/** What `new Response(string)` adds when the init names no Content-Type (Fetch, "extract a body"). */
export const DEFAULT_TEXT_TYPE = "text/plain;charset=UTF-8";

/** Statuses whose response can have no body: `new Response(body, {status})` throws for them. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Bodies kept as given; any other kind (Blob, FormData, URLSearchParams, …) goes native at once. */
export type PlainBody = string | Uint8Array | ReadableStream<Uint8Array> | null;

/** The parts of a response that has not been made native, for the adapter to write. */
export interface ResponseParts {
  readonly status: number;
  readonly body: PlainBody;
  /** The Headers object, when someone asked for it (it may have been changed since). */
  readonly headers: Headers | undefined;
  /** The init's headers as given, when nobody asked for the Headers object. */
  readonly init: HeadersInit | undefined;
}

function plainBody(body: unknown): PlainBody | undefined {
  if (body === null || body === undefined) return null;
  if (typeof body === "string" || body instanceof Uint8Array || body instanceof ReadableStream) {
    return body as PlainBody;
  }
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  return undefined;
}

/** An init the native constructor would accept without a question (else it decides, and throws). */
function plainInit(init: ResponseInit | undefined, body: PlainBody): boolean {
  if (init === undefined) return true;
  if (init === null || typeof init !== "object") return false;
  const status = init.status;
  if (status !== undefined) {
    if (!Number.isInteger(status) || status < 200 || status > 599) return false;
    if (body !== null && NULL_BODY_STATUSES.has(status)) return false;
  }
  return init.statusText === undefined;
}

export class LightResponse {
  #body: PlainBody = null;
  #init: ResponseInit | undefined;
  #headers: Headers | undefined;
  #native: Response | undefined;

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    if (init instanceof NativeResponse) {
      // `new Response(null, otherResponse)` (Hono answers HEAD this way): take its parts.
      const from: Init = { status: init.status, headers: init.headers };
      if (init.statusText !== "") from.statusText = init.statusText;
      init = from;
    }
    const plain = plainBody(body);
    if (plain === undefined || !plainInit(init, plain)) {
      this.#native = new NativeResponse(body, init);
      return;
    }
    this.#body = plain;
    this.#init = init;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== LightResponse) {
      return Object.prototype.isPrototypeOf.call(this.prototype, value as object);
    }
    return value instanceof NativeResponse;
  }

  get status(): number {
    return this.#native ? this.#native.status : (this.#init?.status ?? 200);
  }

  get statusText(): string {
    return this.#native ? this.#native.statusText : "";
  }

  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status < 300;
  }

  get headers(): Headers {
    if (this.#native) return this.#native.headers;
    if (this.#headers === undefined) {
      const headers = new Headers(this.#init?.headers);
      if (typeof this.#body === "string" && !headers.has("content-type")) {
        headers.set("content-type", DEFAULT_TEXT_TYPE);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  /** The kept parts, or `undefined` once the native Response exists (then use it instead). */
  static partsOf(response: LightResponse): ResponseParts | undefined {
    if (response.#native) return undefined;
    return {
      status: response.#init?.status ?? 200,
      body: response.#body,
      headers: response.#headers,
      init: response.#init?.headers,
    };
  }

  /** The native Response, built on first need from the parts (and the Headers, if changed). */
  #real(): Response {
    if (this.#native) return this.#native;
    const init: Init = { status: this.#init?.status ?? 200 };
    const headers = this.#headers ?? this.#init?.headers;
    if (headers !== undefined) init.headers = headers;
    this.#native = new NativeResponse(this.#body, init);
    this.#body = null;
    this.#init = undefined;
    return this.#native;
  }

  static {
    const proto = LightResponse.prototype;
    for (const name of ["body", "bodyUsed", "redirected", "type", "url"] as const) {
      Object.defineProperty(proto, name, {
        get(this: LightResponse) {
          return this.#real()[name];
        },
        configurable: true,
      });
    }
    for (const name of [
      "arrayBuffer",
      "blob",
      "bytes",
      "clone",
      "formData",
      "json",
      "text",
    ] as const) {
      Object.defineProperty(proto, name, {
        value(this: LightResponse) {
          const real = this.#real() as unknown as Record<string, () => unknown>;
          return real[name]!();
        },
        configurable: true,
        writable: true,
      });
    }
    // Node 20's fetch (undici 6) reads a Response's state from symbol-keyed own properties of
    // anything `instanceof Response` (`new Response(body, response)`, `cache.put`): forward
    // each one to the native Response.
    for (const key of Object.getOwnPropertySymbols(new NativeResponse(null))) {
      Object.defineProperty(proto, key, {
        get(this: LightResponse) {
          return (this.#real() as unknown as Record<symbol, unknown>)[key];
        },
        configurable: true,
      });
    }
    Object.setPrototypeOf(proto, NativeResponse.prototype);
    // Statics (json, redirect, error) are the native ones.
    Object.setPrototypeOf(LightResponse, NativeResponse);
  }
}

/** Whether `value` is a LightResponse (not merely `instanceof Response`, which natives pass too). */
export function isLightResponse(value: unknown): value is LightResponse {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.prototype.isPrototypeOf.call(LightResponse.prototype, value)
  );
}

/** The native Response class, whatever `globalThis.Response` has become. */
export { NativeResponse };
