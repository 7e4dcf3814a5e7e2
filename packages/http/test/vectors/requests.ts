/**
 * Request vectors for the parser: bytes in (latin1 strings, so "\xff" is one byte), messages or a
 * refusal out. Each group names its source: an RFC 9112/9110 section, an llhttp test class
 * (test/request/*.md, v9.4.2), a class of the bugs HTTP Garden's TROPHIES.md lists ("bug N" is
 * its numbering) or a Node CVE. The classes: 1 numbers read by a general-purpose parser (signs,
 * `0x`, junk in lengths), 2 empty things given a meaning, 3 forbidden bytes kept or stripped,
 * 4 line-terminator confusion, 5 conflicting framing, 6 no validation of version, method or
 * target, 7 connection-state bugs. Refusals assert the exact
 * `code` and `status`; `messages` lists what must have completed before it.
 */
import type { HttpErrorCode } from "../../src/errors.js";
import type { ParserOptions } from "../../src/request-parser.js";
import { CHROME_GET, CHUNKED_UPLOAD, FORM_POST, PIPELINED_GETS } from "./corpus.js";
import type { ParsedMessage } from "./harness.js";

export interface Vector {
  name: string;
  input: string;
  options?: Partial<ParserOptions>;
  /** Messages completed, in order; only the listed properties are compared. */
  messages?: Partial<ParsedMessage>[];
  /** The refusal; absent for vectors that must parse. */
  /** `offset`, where given, is the exact stream offset the error must report. */
  error?: { code: HttpErrorCode; status: number; offset?: number };
}

/** A head from its lines: request line first, CRLF after each line, and the final CRLF. */
const head = (...lines: string[]) => `${lines.join("\r\n")}\r\n\r\n`;
/** An HTTP/1.1 GET of `/` with Host and the extra field lines. */
const get = (...fields: string[]) => head("GET / HTTP/1.1", "Host: a", ...fields);
const post = (fields: string[], body: string) =>
  head("POST / HTTP/1.1", "Host: a", ...fields) + body;
const chunked = (body: string) => post(["Transfer-Encoding: chunked"], body);

const refuse = (name: string, input: string, code: HttpErrorCode, status = 400): Vector => ({
  name,
  input,
  error: { code, status },
});

export const VECTORS: Vector[] = [
  // --- Accepted requests: RFC 9112 §3 request line, llhttp "method" and "uri" classes -------------
  {
    name: "minimal GET",
    input: get(),
    messages: [
      { method: "GET", target: "/", versionMinor: 1, headers: [["Host", "a"]], bodyKind: "none" },
    ],
  },
  {
    name: "Chrome navigation GET (corpus)",
    input: CHROME_GET,
    messages: [{ method: "GET", keepAlive: true }],
  },
  {
    name: "form POST (corpus)",
    input: FORM_POST,
    messages: [
      {
        method: "POST",
        bodyKind: "length",
        body: "name=Ada+Lovelace&message=Hello%2C+world%21+%E2%9C%93",
      },
    ],
  },
  {
    name: "chunked upload (corpus)",
    input: CHUNKED_UPLOAD,
    messages: [{ method: "POST", bodyKind: "chunked", contentLength: -1, body: "hello world" }],
  },
  {
    name: "ten pipelined GETs (corpus)",
    input: PIPELINED_GETS,
    messages: Array(10).fill({ method: "GET" }),
  },
  {
    name: "extension method token M-SEARCH (llhttp methods)",
    input: head("M-SEARCH /upnp HTTP/1.1", "Host: a"),
    messages: [{ method: "M-SEARCH", target: "/upnp" }],
  },
  {
    name: "custom method token with tchar symbols",
    input: head("X!#$%&'*+-.^_`|~9 / HTTP/1.1", "Host: a"),
    messages: [{ method: "X!#$%&'*+-.^_`|~9" }],
  },
  {
    name: "lower-case method is a token (server sends 501)",
    input: head("get / HTTP/1.1", "Host: a"),
    messages: [{ method: "get" }],
  },
  {
    name: "QUERY method",
    input: head("QUERY /q HTTP/1.1", "Host: a"),
    messages: [{ method: "QUERY", target: "/q" }],
  },
  {
    name: "PURGE method",
    input: head("PURGE /x HTTP/1.1", "Host: a"),
    messages: [{ method: "PURGE" }],
  },
  {
    name: "OPTIONS asterisk-form (RFC 9112 §3.2.4)",
    input: head("OPTIONS * HTTP/1.1", "Host: a"),
    messages: [{ method: "OPTIONS", target: "*" }],
  },
  {
    name: "absolute-form target (RFC 9112 §3.2.2)",
    input: head("GET http://a.example:8080/p?q=1 HTTP/1.1", "Host: a.example:8080"),
    messages: [{ target: "http://a.example:8080/p?q=1" }],
  },
  {
    name: "absolute-form with userinfo and query after host (llhttp uri)",
    input: head("GET http://u:p@h.example?x HTTP/1.1", "Host: h.example"),
    messages: [{ target: "http://u:p@h.example?x" }],
  },
  {
    name: "CONNECT authority-form (RFC 9112 §3.2.3)",
    input: head("CONNECT home.netscape.com:443 HTTP/1.1", "Host: home.netscape.com:443"),
    messages: [{ method: "CONNECT", target: "home.netscape.com:443" }],
  },
  {
    name: "CONNECT to an IPv6 literal",
    input: head("CONNECT [::1]:8443 HTTP/1.1", "Host: [::1]:8443"),
    messages: [{ target: "[::1]:8443" }],
  },
  {
    name: "origin-form with quotes, pipe and ? in the query (llhttp uri)",
    input: head('GET /a"b|c?d?e=f HTTP/1.1', "Host: a"),
    messages: [{ target: '/a"b|c?d?e=f' }],
  },
  {
    name: "percent-encoded UTF-8 target kept undecoded",
    input: head("GET /caf%C3%A9?x=%20 HTTP/1.1", "Host: a"),
    messages: [{ target: "/caf%C3%A9?x=%20" }],
  },
  {
    name: "HTTP/1.0 without Host",
    input: head("GET / HTTP/1.0"),
    messages: [{ versionMinor: 0, keepAlive: false, headers: [] }],
  },
  {
    name: "HTTP/1.2 is served as 1.1 (RFC 9110 §2.5)",
    input: head("GET / HTTP/1.2", "Host: a"),
    messages: [{ versionMinor: 1 }],
  },
  {
    name: "HTTP/1.9 is served as 1.1",
    input: head("GET / HTTP/1.9", "Host: a"),
    messages: [{ versionMinor: 1 }],
  },
  {
    name: "raw holds the whole head",
    input: get("X: 1"),
    messages: [{ raw: "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n" }],
  },

  // --- RFC 9112 §2.2: empty lines before a request line are ignored -------------------------------
  {
    name: "one leading CRLF is skipped",
    input: `\r\n${get()}`,
    messages: [{ method: "GET", raw: "GET / HTTP/1.1\r\nHost: a\r\n\r\n" }],
  },
  {
    name: "several leading CRLFs are skipped",
    input: `\r\n\r\n\r\n${get()}`,
    messages: [{ method: "GET" }],
  },
  {
    name: "CRLF between pipelined requests is skipped",
    input: `${get()}\r\n${get()}`,
    messages: [{}, {}],
  },
  { name: "input of empty lines only is idle", input: "\r\n\r\n", messages: [] },

  // --- RFC 9112 §9.3 persistence; llhttp "connection" class --------------------------------------
  { name: "HTTP/1.1 persists by default", input: get(), messages: [{ keepAlive: true }] },
  {
    name: "HTTP/1.1 Connection: close",
    input: get("Connection: close"),
    messages: [{ keepAlive: false }],
  },
  {
    name: "Connection tokens are case-insensitive",
    input: get("Connection: CLOSE"),
    messages: [{ keepAlive: false }],
  },
  {
    name: "close inside a Connection list",
    input: get("Connection: Upgrade, close"),
    messages: [{ keepAlive: false }],
  },
  {
    name: "close in a second Connection line",
    input: get("Connection: upgrade", "Connection: close"),
    messages: [{ keepAlive: false }],
  },
  {
    name: "HTTP/1.0 keep-alive",
    input: head("GET / HTTP/1.0", "Connection: Keep-Alive"),
    messages: [{ keepAlive: true }],
  },
  {
    name: "HTTP/1.0 keep-alive and close: close wins",
    input: head("GET / HTTP/1.0", "Connection: keep-alive, close"),
    messages: [{ keepAlive: false }],
  },
  {
    name: "closed-ish token that is not close",
    input: get("Connection: closed"),
    messages: [{ keepAlive: true }],
  },

  // --- Field values: RFC 9110 §5.5; llhttp "header value" class ---------------------------------
  {
    name: "OWS around a value is not part of it",
    input: get("X:  \t v \t "),
    messages: [
      {
        headers: [
          ["Host", "a"],
          ["X", "v"],
        ],
      },
    ],
  },
  {
    name: "empty field value",
    input: get("X:"),
    messages: [
      {
        headers: [
          ["Host", "a"],
          ["X", ""],
        ],
      },
    ],
  },
  {
    name: "HTAB and SP inside a value are kept",
    input: get("X: a\tb c"),
    messages: [
      {
        headers: [
          ["Host", "a"],
          ["X", "a\tb c"],
        ],
      },
    ],
  },
  {
    name: "obs-text kept as latin1 (Node #27711)",
    input: get("City: D\xfcsseldorf", "B: \xff\x80"),
    messages: [
      {
        headers: [
          ["Host", "a"],
          ["City", "D\xfcsseldorf"],
          ["B", "\xff\x80"],
        ],
      },
    ],
  },
  {
    name: "field names keep their spelling",
    input: get("x-LoWeR: 1"),
    messages: [
      {
        headers: [
          ["Host", "a"],
          ["x-LoWeR", "1"],
        ],
      },
    ],
  },
  {
    name: "field name with every tchar symbol",
    input: get("!#$%&'*+-.^_`|~: 1"),
    messages: [
      {
        headers: [
          ["Host", "a"],
          ["!#$%&'*+-.^_`|~", "1"],
        ],
      },
    ],
  },
  {
    name: "duplicate ordinary fields kept in order",
    input: get("Accept: a", "Accept: b"),
    messages: [
      {
        headers: [
          ["Host", "a"],
          ["Accept", "a"],
          ["Accept", "b"],
        ],
      },
    ],
  },
  {
    name: "value with colons",
    input: get("X: a:b::c"),
    messages: [
      {
        headers: [
          ["Host", "a"],
          ["X", "a:b::c"],
        ],
      },
    ],
  },
  {
    name: "Expect: 100-continue",
    input: post(["Expect: 100-continue", "Content-Length: 2"], "hi"),
    messages: [{ expectContinue: true, body: "hi" }],
  },
  {
    name: "Expect is case-insensitive",
    input: post(["expect: 100-Continue", "Content-Length: 0"], ""),
    messages: [{ expectContinue: true }],
  },
  {
    name: "other expectations are not 100-continue",
    input: get("Expect: something"),
    messages: [{ expectContinue: false }],
  },

  // --- Host: RFC 9112 §3.2, RFC 9110 §7.2 --------------------------------------------------------
  {
    name: "Host with port",
    input: head("GET / HTTP/1.1", "Host: example.com:8080"),
    messages: [{}],
  },
  {
    name: "empty Host is valid (RFC 9110 §7.2)",
    input: head("GET / HTTP/1.1", "Host:"),
    messages: [{ headers: [["Host", ""]] }],
  },
  {
    name: "Host IPv6 literal",
    input: head("GET / HTTP/1.1", "Host: [2001:db8::1]:80"),
    messages: [{}],
  },
  {
    name: "Host IPv4 and sub-delims",
    input: head("GET / HTTP/1.1", "Host: 127.0.0.1:1"),
    messages: [{}],
  },
  {
    name: "Host with pct-encoding and unreserved",
    input: head("GET / HTTP/1.1", "Host: a-b_c~d%41.example"),
    messages: [{}],
  },
  {
    name: "Host with back-to-back pct-encodings and a port",
    input: head("GET / HTTP/1.1", "Host: %41%42.example:8080"),
    messages: [{}],
  },
  {
    name: "Host name is case-insensitive",
    input: head("GET / HTTP/1.1", "hOsT: a"),
    messages: [{}],
  },

  // --- Content-Length: RFC 9110 §8.6, RFC 9112 §6.3; llhttp "content-length" class ------------
  {
    name: "Content-Length body",
    input: post(["Content-Length: 5"], "hello"),
    messages: [{ bodyKind: "length", contentLength: 5, body: "hello" }],
  },
  {
    name: "Content-Length: 0",
    input: post(["Content-Length: 0"], ""),
    messages: [{ bodyKind: "length", contentLength: 0, body: "" }],
  },
  {
    name: "leading zeros in Content-Length (llhttp)",
    input: post(["Content-Length: 003"], "abc"),
    messages: [{ contentLength: 3, body: "abc" }],
  },
  {
    name: "Content-Length with OWS tabs (research table)",
    input: post(["Content-Length:\t2\t"], "ab"),
    messages: [{ contentLength: 2 }],
  },
  {
    name: "Content-Length name is case-insensitive",
    input: post(["content-LENGTH: 1"], "x"),
    messages: [{ body: "x" }],
  },
  {
    name: "GET with a body is framed the same (RFC 9112 §6.3)",
    input: `${head("GET / HTTP/1.1", "Host: a", "Content-Length: 3")}abc${get()}`,
    messages: [
      { method: "GET", body: "abc" },
      { method: "GET", body: "" },
    ],
  },
  {
    name: "HTTP/1.0 with Content-Length",
    input: `${head("POST / HTTP/1.0", "Content-Length: 2")}ok`,
    messages: [{ body: "ok" }],
  },
  {
    name: "body bytes that look like a request stay body",
    input: post(["Content-Length: 27"], "GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    messages: [{ body: "GET / HTTP/1.1\r\nHost: a\r\n\r\n" }],
  },
  {
    name: "binary body bytes",
    input: post(["Content-Length: 4"], "\x00\r\n\xff"),
    messages: [{ body: "\x00\r\n\xff" }],
  },
  {
    name: "largest safe Content-Length passes the head; the body is then incomplete",
    input: post(["Content-Length: 9007199254740991"], ""),
    error: { code: "WW_HTTP_INCOMPLETE_MESSAGE", status: 400 },
  },

  // --- Chunked: RFC 9112 §7.1; llhttp "transfer-encoding" class ----------------------------------
  {
    name: "two chunks",
    input: chunked("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"),
    messages: [{ bodyKind: "chunked", body: "abcde" }],
  },
  {
    name: "hex sizes in either case",
    input: chunked("a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n"),
    messages: [{ body: "01234567890123456789" }],
  },
  {
    name: "last chunk written 000 (llhttp)",
    input: chunked("1\r\nx\r\n000\r\n\r\n"),
    messages: [{ body: "x" }],
  },
  {
    name: "leading zeros in a chunk size",
    input: chunked("0002\r\nab\r\n0\r\n\r\n"),
    messages: [{ body: "ab" }],
  },
  { name: "empty chunked body", input: chunked("0\r\n\r\n"), messages: [{ body: "" }] },
  {
    name: "chunk extensions are parsed and ignored",
    input: chunked('2;a;b=c;d="e f\\"g"\r\nhi\r\n0;z=1\r\n\r\n'),
    messages: [{ body: "hi" }],
  },
  {
    name: "chunk extension with obs-text in quotes",
    input: chunked('1;q="\xe9"\r\nx\r\n0\r\n\r\n'),
    messages: [{ body: "x" }],
  },
  {
    name: "trailers kept apart (RFC 9112 §7.1.2)",
    input: chunked("1\r\nx\r\n0\r\nX-Sum: 9\r\nX-B:  b \r\n\r\n"),
    messages: [
      {
        body: "x",
        headers: [
          ["Host", "a"],
          ["Transfer-Encoding", "chunked"],
        ],
        trailers: [
          ["X-Sum", "9"],
          ["X-B", "b"],
        ],
      },
    ],
  },
  {
    name: "no trailers: onTrailers not called",
    input: chunked("0\r\n\r\n"),
    messages: [{ trailers: undefined }],
  },
  {
    name: "Transfer-Encoding is case-insensitive",
    input: post(["transfer-encoding: Chunked"], "0\r\n\r\n"),
    messages: [{ bodyKind: "chunked" }],
  },
  {
    name: "empty list elements ignored: , chunked",
    input: post(["Transfer-Encoding: , chunked"], "0\r\n\r\n"),
    messages: [{ bodyKind: "chunked" }],
  },
  {
    name: "chunked then a pipelined GET",
    input: chunked("2\r\nhi\r\n0\r\n\r\n") + get(),
    messages: [{ body: "hi" }, { method: "GET" }],
  },
  {
    name: "Content-Length then chunked then GET (CL state reset, llhttp pipelining)",
    input:
      post(["Content-Length: 1"], "a") +
      chunked("1\r\nb\r\n0\r\n\r\n") +
      post(["Content-Length: 1"], "c"),
    messages: [{ body: "a" }, { body: "b" }, { body: "c" }],
  },
  {
    name: "chunk data containing CRLF",
    input: chunked("4\r\n\r\n\r\n\r\n0\r\n\r\n"),
    messages: [{ body: "\r\n\r\n" }],
  },

  // --- Bare LF leniency option (RFC 9112 §2.2 MAY) ------------------------------------------------
  {
    name: "allowBareLf: LF line ends in the head",
    input: "GET / HTTP/1.1\nHost: a\n\n",
    options: { allowBareLf: true },
    messages: [{ headers: [["Host", "a"]] }],
  },
  {
    name: "allowBareLf: mixed line ends",
    input: "GET / HTTP/1.1\r\nHost: a\n\r\n",
    options: { allowBareLf: true },
    messages: [{}],
  },
  {
    name: "allowBareLf: chunked with LF",
    input: "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n2\nhi\n0\n\n",
    options: { allowBareLf: true },
    messages: [{ body: "hi" }],
  },
  {
    name: "allowBareLf: leading LF skipped",
    input: "\nGET / HTTP/1.1\nHost: a\n\n",
    options: { allowBareLf: true },
    messages: [{}],
  },
  {
    name: "allowBareLf still refuses bare CR",
    input: "GET / HTTP/1.1\nHost: a\rb\n\n",
    options: { allowBareLf: true },
    error: { code: "WW_HTTP_BARE_CR", status: 400 },
  },

  // --- Limits (brief; research §6.2): exactly at the limit passes ------------------------------
  {
    name: "request line exactly at maxLineBytes",
    input: head(`GET /${"a".repeat(64 - 14)} HTTP/1.1`, "Host: a"),
    options: { limits: { maxLineBytes: 64, maxHeaderBytes: 1024, maxHeaderCount: 10 } },
    messages: [{}],
  },
  {
    name: "head exactly at maxHeaderBytes",
    input: get(`X: ${"v".repeat(100 - 32)}`),
    options: { limits: { maxLineBytes: 64, maxHeaderBytes: 100, maxHeaderCount: 10 } },
    messages: [{}],
  },
  {
    name: "exactly maxHeaderCount fields",
    input: get("A: 1", "B: 2"),
    options: { limits: { maxLineBytes: 64, maxHeaderBytes: 1024, maxHeaderCount: 3 } },
    messages: [{}],
  },
  {
    name: "trailers count against maxHeaderCount separately",
    input: post(["Transfer-Encoding: chunked"], "0\r\nA: 1\r\nB: 2\r\n\r\n"),
    options: { limits: { maxLineBytes: 64, maxHeaderBytes: 1024, maxHeaderCount: 2 } },
    messages: [
      {
        trailers: [
          ["A", "1"],
          ["B", "2"],
        ],
      },
    ],
  },

  // === Refusals =================================================================================

  // --- Request line: RFC 9112 §3; HTTP Garden class 6; llhttp "method"/"uri"/"version" ------------
  refuse("double SP after method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_TARGET"),
  refuse(
    "double SP before version",
    "GET /  HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse(
    "trailing SP after version",
    "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_VERSION",
  ),
  refuse("HTAB as separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_METHOD"),
  refuse(
    "leading SP before method",
    " GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_METHOD",
  ),
  refuse(
    "space inside the target",
    "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse(
    "fragment in the target",
    "GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse("missing version (HTTP/0.9 form)", "GET /\r\n\r\n", "WW_HTTP_INVALID_VERSION"),
  refuse("missing target", "GET\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_TARGET"),
  refuse("only a method and SP", "GET \r\n\r\n", "WW_HTTP_INVALID_VERSION"),
  refuse("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_VERSION"),
  refuse("two-digit minor", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_VERSION"),
  refuse("version without minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_VERSION"),
  refuse("version with letters", "GET / HTTP/a.b\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_VERSION"),
  refuse("version HTTPS/1.1", "GET / HTTPS/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_VERSION"),
  refuse(
    "HTTP/2.0 is 505",
    "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
    "WW_HTTP_UNSUPPORTED_VERSION",
    505,
  ),
  refuse("HTTP/0.9 is 505", "GET / HTTP/0.9\r\n\r\n", "WW_HTTP_UNSUPPORTED_VERSION", 505),
  refuse(
    "HTTP/3.0 is 505",
    "GET / HTTP/3.0\r\nHost: a\r\n\r\n",
    "WW_HTTP_UNSUPPORTED_VERSION",
    505,
  ),
  refuse("invalid method byte @", "GE@T / HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_METHOD"),
  refuse("NUL in method", "G\x00T / HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_METHOD"),
  refuse("method with a slash", "GE/T / HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_METHOD"),
  refuse(
    "UTF-8 in the target (llhttp strict)",
    "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse("NUL in the target", "GET /a\x00b HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_TARGET"),
  refuse("DEL in the target", "GET /a\x7f HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_TARGET"),
  refuse("HTAB in the target", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_TARGET"),
  refuse(
    "bare CR in the request line (Garden class 4, CVE-2023-30589)",
    "GET /\rx HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_BARE_CR",
  ),
  refuse("bare CR as separator", "GET\r/ HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_BARE_CR"),
  refuse(
    "relative target without slash",
    "GET foo HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse(
    "asterisk-form for M-SEARCH (RFC 9112 §3.2.4: OPTIONS only)",
    "M-SEARCH * HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse("asterisk-form for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_TARGET"),
  refuse(
    "CONNECT with origin-form",
    "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse(
    "CONNECT without port",
    "CONNECT a.example HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse(
    "CONNECT with empty port",
    "CONNECT a.example: HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse(
    "absolute-form without scheme",
    "GET ://a/ HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse(
    "scheme starting with a digit",
    "GET 1http://a/ HTTP/1.1\r\nHost: a\r\n\r\n",
    "WW_HTTP_INVALID_TARGET",
  ),
  refuse("request line is only SP", " \r\n\r\n", "WW_HTTP_INVALID_METHOD"),
  refuse(
    "binary garbage",
    "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    "WW_HTTP_INVALID_METHOD",
  ),
  refuse(
    "TLS ClientHello ends without a line",
    "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    "WW_HTTP_INCOMPLETE_MESSAGE",
  ),

  // --- Line endings: RFC 9112 §2.2; Garden class 4; CVE-2022-32214, CVE-2022-35256 ---------------
  refuse("bare LF after the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", "WW_HTTP_BARE_LF"),
  refuse("bare LF after a field line", "GET / HTTP/1.1\r\nHost: a\n\r\n", "WW_HTTP_BARE_LF"),
  refuse("bare LF ending the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", "WW_HTTP_BARE_LF"),
  refuse("bare LF before the request", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", "WW_HTTP_BARE_LF"),
  refuse(
    "bare CR in a field value",
    "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
    "WW_HTTP_BARE_CR",
  ),
  refuse(
    "CRLF CR then a letter (Garden bug 30)",
    "GET / HTTP/1.1\r\nHost: a\r\n\rZ\r\n\r\n",
    "WW_HTTP_BARE_CR",
  ),
  refuse(
    "bare CR ending a field line",
    "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",
    "WW_HTTP_BARE_CR",
  ),
  refuse(
    "bare CR in a field name",
    "GET / HTTP/1.1\r\nHost: a\r\nX\r: b\r\n\r\n",
    "WW_HTTP_BARE_CR",
  ),
  refuse("CR CR LF", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", "WW_HTTP_BARE_CR"),

  // --- Field lines: RFC 9112 §5, §5.2; RFC 9110 §5.5; llhttp "header name"; CVE-2021-22959 --------
  refuse(
    "obs-fold (RFC 9112 §5.2)",
    "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
    "WW_HTTP_OBS_FOLD",
  ),
  refuse(
    "obs-fold with HTAB",
    "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n",
    "WW_HTTP_OBS_FOLD",
  ),
  refuse(
    "obs-fold after Transfer-Encoding (llhttp)",
    post(["Transfer-Encoding: chunked", " , identity"], "0\r\n\r\n"),
    "WW_HTTP_OBS_FOLD",
  ),
  refuse(
    "whitespace before the first field (RFC 9112 §2.2)",
    "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
    "WW_HTTP_OBS_FOLD",
  ),
  refuse("SP between name and colon (CVE-2021-22959)", get("X : v"), "WW_HTTP_INVALID_HEADER_NAME"),
  refuse("HTAB between name and colon", get("X\t: v"), "WW_HTTP_INVALID_HEADER_NAME"),
  refuse(
    "Transfer-Encoding with SP before colon",
    post(["Transfer-Encoding : chunked"], "0\r\n\r\n"),
    "WW_HTTP_INVALID_HEADER_NAME",
  ),
  refuse("empty field name (Garden class 2)", get(": v"), "WW_HTTP_INVALID_HEADER_NAME"),
  refuse("field line without colon", get("hello"), "WW_HTTP_INVALID_HEADER_NAME"),
  refuse("@ in a field name (llhttp Fo@)", get("Fo@: v"), "WW_HTTP_INVALID_HEADER_NAME"),
  refuse("control byte in a field name", get("F\x01o: v"), "WW_HTTP_INVALID_HEADER_NAME"),
  refuse("parenthesis in a field name", get("F(o): v"), "WW_HTTP_INVALID_HEADER_NAME"),
  refuse("obs-text in a field name", get("F\xe9: v"), "WW_HTTP_INVALID_HEADER_NAME"),
  refuse("NUL in a field value (RFC 9110 §5.5)", get("X: a\x00b"), "WW_HTTP_INVALID_HEADER_VALUE"),
  refuse("DEL in a field value", get("X: a\x7fb"), "WW_HTTP_INVALID_HEADER_VALUE"),
  refuse("form feed in a field value (llhttp)", get("X: a\x0cb"), "WW_HTTP_INVALID_HEADER_VALUE"),
  refuse("vertical tab in a field value", get("X: \x0b"), "WW_HTTP_INVALID_HEADER_VALUE"),
  refuse("ESC in a field value", get("X: \x1b[31m"), "WW_HTTP_INVALID_HEADER_VALUE"),
  refuse(
    "NUL at the end of Transfer-Encoding (Garden class 3)",
    post(["Transfer-Encoding: chunked\x00"], "0\r\n\r\n"),
    "WW_HTTP_INVALID_HEADER_VALUE",
  ),

  // --- Host: RFC 9112 §3.2 ("MUST respond with 400") ----------------------------------------------
  refuse("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", "WW_HTTP_MISSING_HOST"),
  refuse(
    "HTTP/1.1 with other fields but no Host",
    "GET / HTTP/1.1\r\nX: y\r\n\r\n",
    "WW_HTTP_MISSING_HOST",
  ),
  refuse("two Host lines", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", "WW_HTTP_INVALID_HOST"),
  refuse(
    "two Host lines in HTTP/1.0",
    "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
    "WW_HTTP_INVALID_HOST",
  ),
  refuse("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "WW_HTTP_INVALID_HOST"),
  refuse("Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", "WW_HTTP_INVALID_HOST"),
  refuse("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", "WW_HTTP_INVALID_HOST"),
  refuse(
    "Host with a non-digit port",
    "GET / HTTP/1.1\r\nHost: a:http\r\n\r\n",
    "WW_HTTP_INVALID_HOST",
  ),
  refuse("Host with two ports", "GET / HTTP/1.1\r\nHost: a:1:2\r\n\r\n", "WW_HTTP_INVALID_HOST"),
  refuse(
    "Host with an unclosed IPv6 literal",
    "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n",
    "WW_HTTP_INVALID_HOST",
  ),
  refuse(
    "Host with an empty IP literal",
    "GET / HTTP/1.1\r\nHost: []\r\n\r\n",
    "WW_HTTP_INVALID_HOST",
  ),
  refuse(
    "Host with a bad pct-encoding",
    "GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n",
    "WW_HTTP_INVALID_HOST",
  ),
  refuse(
    "Host with a pct-encoding cut short",
    "GET / HTTP/1.1\r\nHost: a%4\r\n\r\n",
    "WW_HTTP_INVALID_HOST",
  ),
  refuse("Host ending in a bare %", "GET / HTTP/1.1\r\nHost: a%\r\n\r\n", "WW_HTTP_INVALID_HOST"),
  refuse(
    "Host with a bad second pct-encoding",
    "GET / HTTP/1.1\r\nHost: %41%4g:80\r\n\r\n",
    "WW_HTTP_INVALID_HOST",
  ),
  refuse("Host with obs-text", "GET / HTTP/1.1\r\nHost: caf\xe9\r\n\r\n", "WW_HTTP_INVALID_HOST"),
  refuse("Host list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", "WW_HTTP_INVALID_HOST"),

  // --- Content-Length: RFC 9112 §6.3; Garden class 1 and 5; CVE-2024-27982 ------------------------
  refuse(
    "CL with plus sign",
    post(["Content-Length: +5"], "hello"),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse("CL with minus sign", post(["Content-Length: -1"], ""), "WW_HTTP_INVALID_CONTENT_LENGTH"),
  refuse("CL in hex", post(["Content-Length: 0x5"], "hello"), "WW_HTTP_INVALID_CONTENT_LENGTH"),
  refuse(
    "CL empty (Garden class 2)",
    post(["Content-Length:"], ""),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse("CL only whitespace", post(["Content-Length:  "], ""), "WW_HTTP_INVALID_CONTENT_LENGTH"),
  refuse(
    "CL with inner space (llhttp 4 2)",
    post(["Content-Length: 4 2"], ""),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse(
    "CL list of equal values",
    post(["Content-Length: 5, 5"], "hello"),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse(
    "CL list without space",
    post(["Content-Length: 5,5"], "hello"),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse(
    "duplicate equal CL lines (llhttp)",
    post(["Content-Length: 5", "Content-Length: 5"], "hello"),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse(
    "duplicate differing CL lines",
    post(["Content-Length: 5", "Content-Length: 6"], "hello!"),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse("CL with exponent", post(["Content-Length: 1e3"], ""), "WW_HTTP_INVALID_CONTENT_LENGTH"),
  refuse(
    "CL with decimal point",
    post(["Content-Length: 5.0"], "hello"),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse(
    "CL with underscore (Python int)",
    post(["Content-Length: 1_0"], ""),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse(
    "CL with trailing junk",
    post(["Content-Length: 5abc"], "hello"),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse(
    "CL with obs-text (\\xa0 strip, Garden class 3)",
    post(["Content-Length: 5\xa0"], "hello"),
    "WW_HTTP_INVALID_CONTENT_LENGTH",
  ),
  refuse(
    "CL one above 2^53-1 is 413",
    post(["Content-Length: 9007199254740992"], ""),
    "WW_HTTP_BODY_TOO_LARGE",
    413,
  ),
  refuse(
    "CL past 64 bits is 413 (llhttp overflow)",
    post(["Content-Length: 184467440737095516160"], ""),
    "WW_HTTP_BODY_TOO_LARGE",
    413,
  ),
  refuse(
    "CL and TE (RFC 9112 §6.3)",
    post(["Content-Length: 5", "Transfer-Encoding: chunked"], "0\r\n\r\n"),
    "WW_HTTP_CL_TE_CONFLICT",
  ),
  refuse(
    "TE and CL",
    post(["Transfer-Encoding: chunked", "Content-Length: 5"], "0\r\n\r\n"),
    "WW_HTTP_CL_TE_CONFLICT",
  ),
  refuse(
    "empty TE and CL (research table)",
    post(["Transfer-Encoding:", "Content-Length: 0"], ""),
    "WW_HTTP_CL_TE_CONFLICT",
  ),
  refuse(
    "body shorter than CL",
    post(["Content-Length: 10"], "short"),
    "WW_HTTP_INCOMPLETE_MESSAGE",
  ),

  // --- Transfer-Encoding: RFC 9112 §6.1, §6.3; Garden class 5; CVE-2020-8287, CVE-2022-32215 -----
  refuse(
    "TE in HTTP/1.0",
    `${head("POST / HTTP/1.0", "Transfer-Encoding: chunked")}0\r\n\r\n`,
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE without chunked",
    post(["Transfer-Encoding: gzip"], ""),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE identity",
    post(["Transfer-Encoding: identity"], ""),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE chunked not last",
    post(["Transfer-Encoding: chunked, gzip"], "0\r\n\r\n"),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE chunked twice",
    post(["Transfer-Encoding: chunked, chunked"], "0\r\n\r\n"),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE chunked on two lines (CVE-2020-8287)",
    post(["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], "0\r\n\r\n"),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE chunked then gzip on two lines (CVE-2022-32215)",
    post(["Transfer-Encoding: chunked", "Transfer-Encoding: gzip"], ""),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE chunkedchunked (llhttp)",
    post(["Transfer-Encoding: chunkedchunked"], ""),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE pigeons (llhttp)",
    post(["Transfer-Encoding: pigeons"], ""),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse("TE empty value", post(["Transfer-Encoding:"], ""), "WW_HTTP_INVALID_TRANSFER_ENCODING"),
  refuse(
    "TE \\xffchunked\\xff (Garden class 3, Bun bug)",
    post(["Transfer-Encoding: \xffchunked\xff"], "0\r\n\r\n"),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE chunked with a parameter",
    post(["Transfer-Encoding: chunked;q=1"], "0\r\n\r\n"),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE two codings without comma",
    post(["Transfer-Encoding: gzip chunked"], "0\r\n\r\n"),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE with a quoted coding",
    post(['Transfer-Encoding: "chunked"'], "0\r\n\r\n"),
    "WW_HTTP_INVALID_TRANSFER_ENCODING",
  ),
  refuse(
    "TE gzip, chunked is 501 (RFC 9112 §6.1)",
    post(["Transfer-Encoding: gzip, chunked"], "0\r\n\r\n"),
    "WW_HTTP_UNSUPPORTED_TRANSFER_ENCODING",
    501,
  ),
  refuse(
    "TE gzip line then chunked line is 501",
    post(["Transfer-Encoding: gzip", "Transfer-Encoding: chunked"], "0\r\n\r\n"),
    "WW_HTTP_UNSUPPORTED_TRANSFER_ENCODING",
    501,
  ),

  // --- Chunk lines: RFC 9112 §7.1; Garden class 1 and 4; CVE-2021-22960; llhttp chunk tests --------
  refuse("chunk size 0x5", chunked("0x5\r\nhello\r\n0\r\n\r\n"), "WW_HTTP_INVALID_CHUNK"),
  refuse(
    "chunk size with trailing SP (llhttp)",
    chunked("5 \r\nhello\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse(
    "chunk size with leading SP",
    chunked(" 5\r\nhello\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse(
    "chunk size with BWS before ;",
    chunked("5 ;a=b\r\nhello\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse("chunk size with sign", chunked("+5\r\nhello\r\n0\r\n\r\n"), "WW_HTTP_INVALID_CHUNK"),
  refuse("negative chunk size", chunked("-5\r\nhello\r\n0\r\n\r\n"), "WW_HTTP_INVALID_CHUNK"),
  refuse(
    "empty chunk size (Garden class 2)",
    chunked("\r\nhello\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse("chunk size with junk", chunked("5x\r\nhello\r\n0\r\n\r\n"), "WW_HTTP_INVALID_CHUNK"),
  refuse(
    "chunk size with underscore",
    chunked("1_0\r\n0123456789abcdef\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse(
    "chunk size above 2^53-1 is 413",
    chunked("20000000000000\r\n"),
    "WW_HTTP_BODY_TOO_LARGE",
    413,
  ),
  refuse(
    "chunk size past 64 bits is 413 (llhttp overflow)",
    chunked("10000000000000000\r\n"),
    "WW_HTTP_BODY_TOO_LARGE",
    413,
  ),
  refuse(
    "no CRLF after chunk data (llhttp)",
    chunked("5\r\nhelloXX\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse(
    "chunk data longer than its size",
    chunked("3\r\nhello\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse("bare LF after chunk size", chunked("5\nhello\r\n0\r\n\r\n"), "WW_HTTP_BARE_LF"),
  refuse("bare LF after chunk data", chunked("5\r\nhello\n0\r\n\r\n"), "WW_HTTP_INVALID_CHUNK"),
  refuse(
    "CR then junk after chunk size (Garden bug 31)",
    chunked("5\rX\nhello\r\n0\r\n\r\n"),
    "WW_HTTP_BARE_CR",
  ),
  refuse("CR then junk after chunk data", chunked("5\r\nhello\rX0\r\n\r\n"), "WW_HTTP_BARE_CR"),
  refuse(
    "chunk extension without a name (llhttp 2;)",
    chunked("2;\r\nhi\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse(
    "chunk extension with empty value",
    chunked("2;a=\r\nhi\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse(
    "chunk extension with bad name byte",
    chunked("2;a@b\r\nhi\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse(
    "chunk extension unbalanced quote (llhttp)",
    chunked('2;a="b\r\nhi\r\n0\r\n\r\n'),
    "WW_HTTP_BARE_CR",
  ),
  refuse(
    "chunk extension junk after quoted value",
    chunked('2;a="b"c\r\nhi\r\n0\r\n\r\n'),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse(
    "chunk extension NUL (CVE-2021-22960)",
    chunked("2;a\x00\r\nhi\r\n0\r\n\r\n"),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse(
    "chunk extension with bare LF inside (CVE-2021-22960)",
    chunked("2;a\nb\r\nhi\r\n0\r\n\r\n"),
    "WW_HTTP_BARE_LF",
  ),
  refuse(
    "chunk extensions past the cap",
    chunked(`1;a=${"x".repeat(5000)}\r\nx\r\n0\r\n\r\n`),
    "WW_HTTP_INVALID_CHUNK",
  ),
  refuse("chunked body cut short", chunked("5\r\nhel"), "WW_HTTP_INCOMPLETE_MESSAGE"),
  refuse(
    "chunked body without last chunk",
    chunked("5\r\nhello\r\n"),
    "WW_HTTP_INCOMPLETE_MESSAGE",
  ),
  refuse("chunked body without final CRLF", chunked("0\r\n"), "WW_HTTP_INCOMPLETE_MESSAGE"),

  // --- Trailers: RFC 9112 §7.1.2, RFC 9110 §6.5.1 ---------------------------------------------------
  refuse(
    "Content-Length in trailers",
    chunked("0\r\nContent-Length: 5\r\n\r\n"),
    "WW_HTTP_INVALID_TRAILER",
  ),
  refuse(
    "Transfer-Encoding in trailers",
    chunked("0\r\nTransfer-Encoding: chunked\r\n\r\n"),
    "WW_HTTP_INVALID_TRAILER",
  ),
  refuse("Host in trailers", chunked("0\r\nHost: b\r\n\r\n"), "WW_HTTP_INVALID_TRAILER"),
  refuse("obs-fold in trailers", chunked("0\r\nX: a\r\n b\r\n\r\n"), "WW_HTTP_OBS_FOLD"),
  refuse(
    "space before colon in trailers",
    chunked("0\r\nX : a\r\n\r\n"),
    "WW_HTTP_INVALID_HEADER_NAME",
  ),
  refuse("NUL in a trailer value", chunked("0\r\nX: \x00\r\n\r\n"), "WW_HTTP_INVALID_HEADER_VALUE"),
  refuse("bare LF in trailers", chunked("0\r\nX: a\n\r\n"), "WW_HTTP_BARE_LF"),

  // --- Limits: 414 / 431 (brief; research §6.2) ----------------------------------------------------
  {
    name: "request line one byte past maxLineBytes is 414",
    input: head(`GET /${"a".repeat(64 - 13)} HTTP/1.1`, "Host: a"),
    options: { limits: { maxLineBytes: 64, maxHeaderBytes: 1024, maxHeaderCount: 10 } },
    error: { code: "WW_HTTP_LINE_TOO_LONG", status: 414 },
  },
  {
    name: "request line past a head limit smaller than the line limit is 431",
    input: head("GET /0123456789 HTTP/1.1", "Host: a"),
    options: { limits: { maxLineBytes: 64, maxHeaderBytes: 20, maxHeaderCount: 10 } },
    error: { code: "WW_HTTP_HEADER_TOO_LARGE", status: 431 },
  },
  {
    name: "final CRLF one byte past maxHeaderBytes is 431",
    input: get("X: 1"),
    options: { limits: { maxLineBytes: 64, maxHeaderBytes: 32, maxHeaderCount: 10 } },
    error: { code: "WW_HTTP_HEADER_TOO_LARGE", status: 431 },
  },
  refuse(
    "default limit: 9000-byte target is 414",
    head(`GET /${"a".repeat(9000)} HTTP/1.1`, "Host: a"),
    "WW_HTTP_LINE_TOO_LONG",
    414,
  ),
  refuse(
    "endless request line is 414 before any LF",
    `GET /${"a".repeat(9000)}`,
    "WW_HTTP_LINE_TOO_LONG",
    414,
  ),
  {
    name: "head one byte past maxHeaderBytes is 431",
    input: get(`X: ${"v".repeat(100 - 31)}`),
    options: { limits: { maxLineBytes: 64, maxHeaderBytes: 100, maxHeaderCount: 10 } },
    error: { code: "WW_HTTP_HEADER_TOO_LARGE", status: 431 },
  },
  refuse(
    "default limit: 17 KiB field is 431",
    get(`X: ${"v".repeat(17 * 1024)}`),
    "WW_HTTP_HEADER_TOO_LARGE",
    431,
  ),
  refuse(
    "endless field line is 431 before any LF",
    `GET / HTTP/1.1\r\nX: ${"v".repeat(17 * 1024)}`,
    "WW_HTTP_HEADER_TOO_LARGE",
    431,
  ),
  refuse(
    "101 fields is 431",
    get(...Array.from({ length: 100 }, (_, i) => `X${i}: ${i}`)),
    "WW_HTTP_TOO_MANY_HEADERS",
    431,
  ),
  {
    name: "trailer section past maxHeaderBytes is 431",
    input: chunked(`0\r\nX: ${"v".repeat(200)}\r\n\r\n`),
    options: { limits: { maxLineBytes: 64, maxHeaderBytes: 100, maxHeaderCount: 10 } },
    error: { code: "WW_HTTP_HEADER_TOO_LARGE", status: 431 },
  },
  {
    name: "too many trailer fields is 431",
    input: chunked("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"),
    options: { limits: { maxLineBytes: 64, maxHeaderBytes: 1024, maxHeaderCount: 2 } },
    error: { code: "WW_HTTP_TOO_MANY_HEADERS", status: 431 },
  },

  // --- Incomplete input and errors after valid messages (Garden class 7) --------------------------
  refuse("head cut short", "GET / HTTP/1.1\r\nHost: a\r\n", "WW_HTTP_INCOMPLETE_MESSAGE"),
  refuse("request line cut short", "GET / HT", "WW_HTTP_INCOMPLETE_MESSAGE"),
  {
    name: "lone CR at the end",
    input: `${get()}\r`,
    messages: [{}],
    error: { code: "WW_HTTP_INCOMPLETE_MESSAGE", status: 400 },
  },
  {
    name: "valid request then garbage",
    input: `${get()}HELLO\r\n\r\n`,
    messages: [{ method: "GET" }],
    error: { code: "WW_HTTP_INVALID_TARGET", status: 400 },
  },
  {
    name: "valid request then smuggled CL.CL",
    input: `${post(["Content-Length: 1"], "x")}${post(["Content-Length: 1", "Content-Length: 2"], "yy")}`,
    messages: [{ body: "x" }],
    error: { code: "WW_HTTP_INVALID_CONTENT_LENGTH", status: 400 },
  },
  {
    name: "pipelined request after a chunked one with bad chunk",
    input: `${chunked("0\r\n\r\n")}${chunked("zz\r\n")}`,
    messages: [{ body: "" }],
    error: { code: "WW_HTTP_INVALID_CHUNK", status: 400 },
  },

  // --- Exact error offsets: the byte where the input stopped making sense ---------------------
  {
    name: "offset: obs-fold points at the folded line",
    input: "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n",
    error: { code: "WW_HTTP_OBS_FOLD", status: 400, offset: 31 },
  },
  {
    name: "offset: bare LF points at the LF",
    input: "GET / HTTP/1.1\nHost: a\r\n\r\n",
    error: { code: "WW_HTTP_BARE_LF", status: 400, offset: 14 },
  },
  {
    name: "offset: 505 points at the version",
    input: "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
    error: { code: "WW_HTTP_UNSUPPORTED_VERSION", status: 505, offset: 6 },
  },
  {
    name: "offset: bare CR in a value points at the CR",
    input: "GET / HTTP/1.1\r\nHost: a\r\nX: ab\rc\r\n\r\n",
    error: { code: "WW_HTTP_BARE_CR", status: 400, offset: 30 },
  },
  {
    name: "offset: space before colon points at the space",
    input: "GET / HTTP/1.1\r\nHost: a\r\nXY : 1\r\n\r\n",
    error: { code: "WW_HTTP_INVALID_HEADER_NAME", status: 400, offset: 27 },
  },
  {
    name: "offset: CL+TE points at the Transfer-Encoding line",
    input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    error: { code: "WW_HTTP_CL_TE_CONFLICT", status: 400, offset: 45 },
  },
  {
    name: "offset: chunk size junk points at the junk",
    input: chunked("5x\r\nhello\r\n0\r\n\r\n"),
    error: { code: "WW_HTTP_INVALID_CHUNK", status: 400, offset: 57 },
  },
  {
    name: "offset: missing Host points at the end of the head",
    input: "GET / HTTP/1.1\r\nX: 1\r\n\r\n",
    error: { code: "WW_HTTP_MISSING_HOST", status: 400, offset: 22 },
  },
  {
    name: "offset: 414 points at the first byte past the limit",
    input: `\r\nGET /${"a".repeat(9000)} HTTP/1.1\r\n\r\n`,
    error: { code: "WW_HTTP_LINE_TOO_LONG", status: 414, offset: 2 + 8192 },
  },
  {
    name: "offset: incomplete body points at the end of input",
    input: post(["Content-Length: 9"], "abc"),
    error: { code: "WW_HTTP_INCOMPLETE_MESSAGE", status: 400, offset: 50 },
  },
];
