/**
 * Realistic requests shared by the vector tests and bench/parser.ts. Strings are latin1: one
 * char per byte.
 */

/** A full Chrome navigation GET with the usual client hints and cookies (~700 bytes). */
export const CHROME_GET =
  "GET /index.html?utm_source=chapter HTTP/1.1\r\n" +
  "Host: localhost:8080\r\n" +
  "Connection: keep-alive\r\n" +
  "Cache-Control: max-age=0\r\n" +
  'sec-ch-ua: "Chromium";v="130", "Google Chrome";v="130", "Not?A_Brand";v="99"\r\n' +
  "sec-ch-ua-mobile: ?0\r\n" +
  'sec-ch-ua-platform: "Linux"\r\n' +
  "Upgrade-Insecure-Requests: 1\r\n" +
  "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36\r\n" +
  "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7\r\n" +
  "Sec-Fetch-Site: none\r\n" +
  "Sec-Fetch-Mode: navigate\r\n" +
  "Sec-Fetch-User: ?1\r\n" +
  "Sec-Fetch-Dest: document\r\n" +
  "Accept-Encoding: gzip, deflate, br, zstd\r\n" +
  "Accept-Language: en-GB,en-US;q=0.9,en;q=0.8\r\n" +
  "Cookie: session=4f1c2a9e7b; theme=dark\r\n" +
  "\r\n";

/** Ten small GETs back to back on one connection. */
export const PIPELINED_GETS = Array.from(
  { length: 10 },
  (_, i) => `GET /pipe/${i} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
).join("");

const FORM_BODY = "name=Ada+Lovelace&message=Hello%2C+world%21+%E2%9C%93";

/** The message board's form POST. */
export const FORM_POST =
  "POST /messages HTTP/1.1\r\n" +
  "Host: localhost:8080\r\n" +
  "Connection: keep-alive\r\n" +
  "Origin: http://localhost:8080\r\n" +
  "Content-Type: application/x-www-form-urlencoded\r\n" +
  `Content-Length: ${FORM_BODY.length}\r\n` +
  "Referer: http://localhost:8080/\r\n" +
  "\r\n" +
  FORM_BODY;

/** The classic 520-byte chunked upload from the http-parser/llhttp benchmark fixture. */
export const CHUNKED_UPLOAD =
  "POST /joyent/http-parser HTTP/1.1\r\n" +
  "Host: github.com\r\n" +
  "DNT: 1\r\n" +
  "Accept-Encoding: gzip, deflate, sdch\r\n" +
  "Accept-Language: ru-RU,ru;q=0.8,en-US;q=0.6,en;q=0.4\r\n" +
  "User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/39.0.2171.65 Safari/537.36\r\n" +
  "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8\r\n" +
  "Referer: https://github.com/joyent/http-parser\r\n" +
  "Connection: keep-alive\r\n" +
  "Transfer-Encoding: chunked\r\n" +
  "Cache-Control: max-age=0\r\n" +
  "\r\n" +
  "b\r\nhello world\r\n" +
  "0\r\n\r\n";
