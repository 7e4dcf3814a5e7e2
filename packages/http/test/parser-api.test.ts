import { describe, expect, it } from "vitest";
import { HttpError } from "../src/errors.js";
import {
  DEFAULT_PARSER_LIMITS,
  type ParserCallbacks,
  RequestParser,
} from "../src/request-parser.js";
import type { RequestHead } from "../src/types.js";
import { bytes } from "./vectors/harness.js";

const GET = "GET /a HTTP/1.1\r\nHost: a\r\n\r\n";
const POST = "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
const CHUNKED =
  "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n3\r\nyou\r\n0\r\nT: 1\r\n\r\n";

type Event = string;

/** A parser that logs events and pauses on the events named in `pauseOn`. */
function recorder(pauseOn: Set<string>) {
  const events: Event[] = [];
  const heads: RequestHead[] = [];
  const bodies: Uint8Array[] = [];
  const callbacks: ParserCallbacks = {
    onHead(head) {
      heads.push(head);
      events.push(`head ${head.target}`);
      return pauseOn.has("head") ? false : undefined;
    },
    onBody(chunk) {
      bodies.push(chunk);
      events.push(`body ${Buffer.from(chunk).toString("latin1")}`);
      return pauseOn.has("body") ? false : undefined;
    },
    onTrailers(trailers) {
      events.push(`trailers ${[...trailers].join(";")}`);
    },
    onComplete() {
      events.push("complete");
      return pauseOn.has("complete") ? false : undefined;
    },
  };
  return { events, heads, bodies, parser: new RequestParser(callbacks) };
}

/** Drives execute the way a server does after a pause: resume with the rest until all is taken. */
function drain(parser: RequestParser, input: Uint8Array, returns: number[]): void {
  let rest = input;
  for (let guard = 0; guard < 1000; guard++) {
    const n = parser.execute(rest);
    returns.push(n);
    rest = rest.subarray(n);
    if (rest.length === 0 && n === 0) return;
  }
  throw new Error("execute made no progress");
}

describe("pause and resume", () => {
  it("pauses right after the head and resumes into the body", () => {
    const { parser, events } = recorder(new Set(["head"]));
    const input = bytes(POST);
    const n = parser.execute(input);
    expect(n).toBe(POST.indexOf("hello"));
    expect(events).toEqual(["head /b"]);
    expect(parser.execute(input.subarray(n))).toBe(5);
    expect(events).toEqual(["head /b", "body hello", "complete"]);
    expect(parser.idle).toBe(true);
  });

  it("pauses after a bodyless head; an empty execute then completes it", () => {
    const { parser, events } = recorder(new Set(["head"]));
    expect(parser.execute(bytes(GET))).toBe(GET.length);
    expect(events).toEqual(["head /a"]);
    expect(parser.idle).toBe(false);
    expect(parser.completionPending).toBe(true);
    expect(parser.execute(new Uint8Array(0))).toBe(0);
    expect(events).toEqual(["head /a", "complete"]);
    expect(parser.idle).toBe(true);
  });

  it("says a completion is pending after a pause on the body's last byte", () => {
    const { parser, events } = recorder(new Set(["body"]));
    expect(parser.execute(bytes(POST))).toBe(POST.length);
    expect(events).toEqual(["head /b", "body hello"]);
    expect(parser.completionPending).toBe(true);
    expect(parser.execute(new Uint8Array(0))).toBe(0);
    expect(events).toEqual(["head /b", "body hello", "complete"]);
    expect(parser.completionPending).toBe(false);
    expect(parser.idle).toBe(true);
  });

  it("pauses after each body piece", () => {
    const { parser, events } = recorder(new Set(["body"]));
    const returns: number[] = [];
    drain(parser, bytes(CHUNKED), returns);
    expect(events).toEqual(["head /c", "body hi", "body you", "trailers T,1", "complete"]);
    expect(returns.slice(0, 2)).toEqual([
      CHUNKED.indexOf("hi") + 2,
      CHUNKED.indexOf("you") + 3 - CHUNKED.indexOf("hi") - 2,
    ]);
  });

  it("pauses after each pipelined message, returning the offset just past it", () => {
    const { parser, events } = recorder(new Set(["complete"]));
    const input = bytes(GET + POST + GET);
    const returns: number[] = [];
    drain(parser, input, returns);
    expect(returns.slice(0, 3)).toEqual([GET.length, POST.length, GET.length]);
    expect(events).toEqual([
      "head /a",
      "complete",
      "head /b",
      "body hello",
      "complete",
      "head /a",
      "complete",
    ]);
  });

  it("pausing on every event yields the same events as not pausing", () => {
    const input = bytes(GET + CHUNKED + POST);
    const plain = recorder(new Set());
    plain.parser.execute(input);
    const paused = recorder(new Set(["head", "body", "complete"]));
    drain(paused.parser, input, []);
    expect(paused.events).toEqual(plain.events);
  });

  it("finish() delivers a completion that a pause left pending", () => {
    const { parser, events } = recorder(new Set(["head"]));
    parser.execute(bytes(GET));
    parser.finish();
    expect(events).toEqual(["head /a", "complete"]);
  });
});

describe("views and copies", () => {
  it("hands out body pieces as views of the input, never copies", () => {
    const { parser, bodies } = recorder(new Set());
    const input = bytes(POST + CHUNKED);
    parser.execute(input);
    expect(bodies).toHaveLength(3);
    for (const b of bodies) expect(b.buffer).toBe(input.buffer);
  });

  it("raw is a view when the head arrives whole and a copy of only the head when split", () => {
    const { parser, heads } = recorder(new Set());
    const input = bytes(POST);
    parser.execute(input);
    expect(heads[0]!.raw.buffer).toBe(input.buffer);
    const split = recorder(new Set());
    split.parser.execute(input.subarray(0, 10));
    split.parser.execute(input.subarray(10));
    const raw = split.heads[0]!.raw;
    expect(raw.buffer).not.toBe(input.buffer);
    expect(Buffer.from(raw).toString("latin1")).toBe(POST.slice(0, POST.indexOf("hello")));
  });

  it("raw is empty, not an error, when the input's buffer was transferred after parsing", () => {
    const { parser, heads } = recorder(new Set());
    const input = new Uint8Array(bytes(GET)); // its own ArrayBuffer, which can be transferred
    parser.execute(input);
    structuredClone(input.buffer, { transfer: [input.buffer] });
    expect(heads[0]!.raw.length).toBe(0);
    expect(heads[0]!.target).toBe("/a");
  });

  it("reports no pending completion on a parser a callback killed", () => {
    const parser = new RequestParser({
      onHead: () => {},
      onBody: () => {
        throw new Error("handler bug");
      },
      onComplete: () => {},
    });
    expect(() => parser.execute(bytes(POST))).toThrow("handler bug");
    expect(parser.completionPending).toBe(false);
  });

  it("parses heads in views into buffers of 2 GiB and more", () => {
    // Word indexes are 32-bit; such buffers are scanned byte by byte (pages stay untouched).
    const big = new Uint8Array(2 ** 31 + 4096);
    const request = bytes(POST);
    for (const at of [2 ** 31 - 7, 2 ** 31 + 5]) {
      big.set(request, at);
      const { parser, heads, events } = recorder(new Set());
      parser.execute(big.subarray(at, at + request.length));
      expect(events).toEqual(["head /b", "body hello", "complete"]);
      expect(heads[0]!.headers.get("content-length")).toBe("5");
    }
  });

  it("raw of each pipelined head is its own bytes, even when read after later heads", () => {
    const { parser, heads } = recorder(new Set());
    parser.execute(bytes(GET + POST + GET));
    const texts = heads.map((head) => Buffer.from(head.raw).toString("latin1"));
    expect(texts).toEqual([GET, POST.slice(0, POST.indexOf("hello")), GET]);
  });
});

describe("reused input arrays", () => {
  it("decodes each head from the bytes of its own execute call", () => {
    // A caller that reads into one fixed buffer hands the same array over again, refilled.
    const { parser, heads } = recorder(new Set());
    const buffer = new Uint8Array(GET.length);
    for (const host of ["a", "b"]) {
      buffer.set(bytes(GET.replace("Host: a", `Host: ${host}`)));
      parser.execute(buffer);
    }
    expect(heads.map((h) => h.headers.get("host"))).toEqual(["a", "b"]);
  });

  it("pipelined heads in one chunk each get their own strings", () => {
    const { parser, heads } = recorder(new Set());
    parser.execute(bytes(`${GET}${POST}GET /z HTTP/1.1\r\nHost: zz\r\n\r\n`));
    expect(heads.map((h) => [h.target, h.headers.get("host"), h.headers.size])).toEqual([
      ["/a", "a", 1],
      ["/b", "a", 2],
      ["/z", "zz", 1],
    ]);
  });
});

describe("errors and state", () => {
  it("offsets count bytes across execute calls", () => {
    const { parser } = recorder(new Set());
    parser.execute(bytes(GET));
    const bad = bytes("GET / HTTP/1.1\r\nHost: a\r\nX : 1\r\n\r\n");
    const error = (() => {
      try {
        parser.execute(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      code: "WW_HTTP_INVALID_HEADER_NAME",
      status: 400,
      offset: GET.length + 26,
    });
  });

  // Issue 16: "Hello world" was reported as whitespace before a colon it does not have.
  it.each([
    ["Hello world", "field line without a colon"],
    ["Hello", "field line without a colon"],
    ["F@o bar", "field line without a colon"],
    ["X : 1", "whitespace between field name and colon"],
    ["X\t: 1", "whitespace between field name and colon"],
    ["X y: 1", "whitespace between field name and colon"],
    ["F@o: 1", "invalid byte in field name"],
  ])("names the fault of the field line %j: %s", (line, message) => {
    const { parser } = recorder(new Set());
    expect(() => parser.execute(bytes(`GET / HTTP/1.1\r\nHost: a\r\n${line}\r\n\r\n`))).toThrow(
      expect.objectContaining({ code: "WW_HTTP_INVALID_HEADER_NAME", message }),
    );
  });

  it("is dead after a throw: execute and finish throw the same error", () => {
    const { parser } = recorder(new Set());
    let first: unknown;
    try {
      parser.execute(bytes("BAD\r\n\r\n"));
    } catch (e) {
      first = e;
    }
    expect(first).toBeInstanceOf(HttpError);
    expect(() => parser.execute(bytes(GET))).toThrow(first as Error);
    expect(() => parser.finish()).toThrow(first as Error);
  });

  it("a callback that throws kills the parser with that error", () => {
    const boom = new Error("handler bug");
    const parser = new RequestParser({
      onHead: () => {
        throw boom;
      },
      onBody: () => undefined,
      onComplete: () => undefined,
    });
    expect(() => parser.execute(bytes(GET))).toThrow(boom);
    expect(() => parser.execute(bytes(GET))).toThrow(boom);
  });

  it("refuses a chunk that is not a Uint8Array with TypeError", () => {
    const { parser } = recorder(new Set());
    expect(() => parser.execute("GET / HTTP/1.1\r\n" as unknown as Uint8Array)).toThrow(TypeError);
  });

  it("idle is true only between messages", () => {
    const { parser } = recorder(new Set());
    expect(parser.idle).toBe(true);
    parser.execute(bytes("GET / HT"));
    expect(parser.idle).toBe(false);
    parser.execute(bytes("TP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nx"));
    expect(parser.idle).toBe(false);
    parser.execute(bytes("y"));
    expect(parser.idle).toBe(true);
    parser.execute(bytes("\r\n"));
    expect(parser.idle).toBe(true);
    parser.finish();
  });

  it("finish() refuses a partial message with WW_HTTP_INCOMPLETE_MESSAGE", () => {
    const { parser } = recorder(new Set());
    parser.execute(bytes(POST.slice(0, -1)));
    expect(() => parser.finish()).toThrow(
      expect.objectContaining({ code: "WW_HTTP_INCOMPLETE_MESSAGE", status: 400 }),
    );
  });

  it("rejects impossible limits with RangeError naming the option", () => {
    const cb = { onHead: () => undefined, onBody: () => undefined, onComplete: () => undefined };
    expect(
      () => new RequestParser(cb, { limits: { ...DEFAULT_PARSER_LIMITS, maxHeaderCount: 0 } }),
    ).toThrow(/options\.limits\.maxHeaderCount/);
    expect(
      () => new RequestParser(cb, { limits: { ...DEFAULT_PARSER_LIMITS, maxLineBytes: 1.5 } }),
    ).toThrow(RangeError);
  });

  it("documents its defaults", () => {
    expect(DEFAULT_PARSER_LIMITS).toEqual({
      maxLineBytes: 8192,
      maxHeaderBytes: 16384,
      maxHeaderCount: 100,
    });
  });
});

describe("HeaderList", () => {
  const { parser, heads } = recorder(new Set());
  parser.execute(
    bytes(
      "GET / HTTP/1.1\r\nHost: a\r\nAccept: text/html\r\naccept: */*\r\nX-Empty:\r\nCity: D\xfcsseldorf\r\n\r\n",
    ),
  );
  const headers = heads[0]!.headers;

  it("looks names up case-insensitively and joins duplicates", () => {
    expect(headers.size).toBe(5);
    expect(headers.get("ACCEPT")).toBe("text/html, */*");
    expect(headers.getAll("accept")).toEqual(["text/html", "*/*"]);
    expect(headers.has("x-empty")).toBe(true);
    expect(headers.get("x-empty")).toBe("");
    expect(headers.get("missing")).toBeUndefined();
    expect(headers.getAll("missing")).toEqual([]);
    expect(headers.has("hos")).toBe(false);
  });

  it("keeps obs-text as latin1 and iterates in order with the client's spelling", () => {
    expect(headers.get("city")).toBe("D\u00fcsseldorf");
    expect([...headers].map(([name]) => name)).toEqual([
      "Host",
      "Accept",
      "accept",
      "X-Empty",
      "City",
    ]);
  });

  it("does not match names outside latin1", () => {
    expect(headers.has("Ho\u0173t")).toBe(false);
  });
});
