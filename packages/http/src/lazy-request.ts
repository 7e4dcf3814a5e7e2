import { RequestHeaders } from "./fetch-headers.js";
import type { HttpRequest } from "./types.js";

const GlobalRequest: typeof Request = globalThis.Request;

/** Fetch's "UTF-8 decode": a leading BOM is dropped, bad sequences become U+FFFD. */
const UTF8 = new TextDecoder();

/**
 * Methods `new Request()` upper-cases (Fetch, "normalize a method"); every other method keeps
 * the case it was sent in.
 */
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

/** Fetch's method as `new Request()` would report it (`"get"` becomes `"GET"`, `"patch"` stays). */
export function fetchMethod(method: string): string {
  if (NORMALIZED_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

/**
 * The body as a web stream that pulls from the request's own iterator: nothing is read from
 * the socket until the application reads (high-water mark 0), and each read takes one piece,
 * so a slow reader slows the client down instead of filling memory.
 */
function bodyStream(raw: HttpRequest): ReadableStream<Uint8Array> {
  let pieces: AsyncIterator<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        pieces ??= raw[Symbol.asyncIterator]();
        const { done, value } = await pieces.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel() {
        // Not awaited: a pending read would hold it. The server drops the unread rest (or
        // closes the connection when the rest is large) once the response is complete.
        void pieces?.return?.()?.catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}

function bodyUnusable(): Promise<never> {
  return Promise.reject(new TypeError("Body is unusable: it has already been read"));
}

/**
 * A standard `Request` for one {@link HttpRequest}, built lazily: `method`, `url`, `headers`,
 * `signal` and the body readers (`text`, `json`, `arrayBuffer`, `bytes`, `blob`, `formData`)
 * are served from the parsed request directly. Anything else (`body`, `clone()`, `cache`, …)
 * first constructs the real `Request`, once, which costs more than parsing the request did:
 * most handlers never need it. `instanceof Request` holds.
 *
 * The buffered readers keep the server's body limit (`maxBodyBytes`, 413); the `body` stream
 * has none, since a streaming reader decides for itself how much to take.
 */
export class LazyRequest {
  readonly #raw: HttpRequest;
  readonly #method: string;
  readonly #url: string;
  #headers: RequestHeaders | undefined;
  #request: Request | undefined;
  /** A buffered reader took the body (the real Request, if built later, gets an empty one). */
  #consumed = false;

  constructor(raw: HttpRequest, url: string) {
    this.#raw = raw;
    this.#method = fetchMethod(raw.method);
    this.#url = url;
  }

  get method(): string {
    return this.#method;
  }

  get url(): string {
    return this.#url;
  }

  get headers(): Headers {
    this.#headers ??= new RequestHeaders(this.#raw.headers);
    return this.#headers as unknown as Headers;
  }

  /** Aborts when the client leaves before its response is complete. */
  get signal(): AbortSignal {
    return this.#raw.signal;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#real().body;
  }

  get bodyUsed(): boolean {
    return this.#consumed || (this.#request?.bodyUsed ?? false);
  }

  text(): Promise<string> {
    if (this.#request) return this.#request.text();
    return this.#bytes().then((bytes) => UTF8.decode(bytes));
  }

  json(): Promise<unknown> {
    if (this.#request) return this.#request.json();
    return this.text().then(JSON.parse);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#request) return this.#request.arrayBuffer();
    // A copy: the bytes may be a view into a larger socket buffer.
    return this.#bytes().then(
      (bytes) =>
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
  }

  bytes(): Promise<Uint8Array> {
    return this.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }

  blob(): Promise<Blob> {
    if (this.#request) return this.#request.blob();
    const type = this.headers.get("content-type") ?? "";
    return this.#bytes().then((bytes) => new Blob([bytes], { type }));
  }

  formData(): Promise<FormData> {
    if (this.#request) return this.#request.formData();
    const type = this.headers.get("content-type") ?? "";
    // The platform's own multipart and urlencoded parser, on the body read within the limit.
    return this.#bytes().then((bytes) =>
      new Response(bytes, { headers: { "content-type": type } }).formData(),
    );
  }

  clone(): Request {
    return this.#real().clone();
  }

  /** The real Request behind `request` (built now if it was not yet). */
  static realOf(request: LazyRequest): Request {
    return request.#real();
  }

  static {
    // What the real Request has and the lazy one does not serve itself: built on first access.
    for (const name of [
      "cache",
      "credentials",
      "destination",
      "duplex",
      "integrity",
      "keepalive",
      "mode",
      "redirect",
      "referrer",
      "referrerPolicy",
    ] as const) {
      Object.defineProperty(LazyRequest.prototype, name, {
        get(this: LazyRequest) {
          return this.#real()[name as keyof Request];
        },
        configurable: true,
      });
    }
    // Node 20's fetch (undici 6) keeps a Request's state under symbol-keyed own properties and
    // reads them from any `instanceof Request` it is given: `new Request(request)`,
    // `fetch(request)`. Forwarding each one to the real Request makes those work too.
    const probe = new GlobalRequest("http://localhost/");
    for (const key of Object.getOwnPropertySymbols(probe)) {
      Object.defineProperty(LazyRequest.prototype, key, {
        get(this: LazyRequest) {
          return (this.#real() as unknown as Record<symbol, unknown>)[key];
        },
        configurable: true,
      });
    }
  }

  /** The whole body through the server's limit, once. */
  #bytes(): Promise<Uint8Array> {
    if (this.#consumed) return bodyUnusable();
    this.#consumed = true;
    if (!this.#hasBody()) return Promise.resolve(new Uint8Array(0));
    return this.#raw.body();
  }

  #hasBody(): boolean {
    const method = this.#method;
    return method !== "GET" && method !== "HEAD" && this.#raw.bodyKind !== "none";
  }

  /** The real Request, constructed on first need. */
  #real(): Request {
    if (this.#request) return this.#request;
    const init: RequestInit & { duplex?: "half" } = {
      method: this.#method,
      headers: this.#headers ? this.#headers.native : [...this.#raw.headers],
      signal: this.#raw.signal,
    };
    if (this.#hasBody()) {
      init.body = this.#consumed ? new Uint8Array(0) : bodyStream(this.#raw);
      init.duplex = "half";
    }
    this.#request = new GlobalRequest(this.#url, init);
    return this.#request;
  }
}

// `instanceof Request` holds; every member a caller can reach is defined on LazyRequest itself.
Object.setPrototypeOf(LazyRequest.prototype, GlobalRequest.prototype);

/**
 * The global `Request` while the adapter's globals are installed: the native class, except
 * that `new Request(lazyRequest, init)` starts from the real Request behind it. Node 22+'s fetch
 * keeps a Request's state in private fields, which no stand-in can forward, so without this
 * `new Request(c.req.raw)` would fail there. `instanceof` answers as for the native class.
 */
export class AdapterRequest extends GlobalRequest {
  constructor(input: ConstructorParameters<typeof Request>[0], init?: RequestInit) {
    super(input instanceof LazyRequest ? LazyRequest.realOf(input) : input, init);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== AdapterRequest) {
      return Object.prototype.isPrototypeOf.call(this.prototype, value as object);
    }
    return value instanceof GlobalRequest;
  }
}

export { GlobalRequest as NativeRequest };
