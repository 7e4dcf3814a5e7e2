import { escapeHtml } from "@wireweb/app-shell";
import type { HttpRequest } from "@wireweb/http";
import { showBytes } from "./show-bytes.js";
import { summarizeUserAgent } from "./user-agent.js";

const STYLE = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}pre{background:#f6f6f6;padding:.75rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
code{font-size:.95em;overflow-wrap:anywhere}td:first-child{white-space:nowrap}`;

/** Renders the page the tiny server answers with: a greeting and the request, every byte escaped. */
export function renderRequestPage(request: HttpRequest, body: Uint8Array): string {
  const { browser, os } = summarizeUserAgent(request.headers.get("user-agent"));
  const headerRows = [...request.headers]
    .map(
      ([name, value]) =>
        `<tr><td><code>${escapeHtml(name)}</code></td><td><code>${escapeHtml(value)}</code></td></tr>`,
    )
    .join("\n");
  const bodySection =
    body.length === 0
      ? "<p>No body was sent.</p>"
      : `<p>${body.length} bytes:</p>\n<pre>${escapeHtml(showBytes(body))}</pre>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hello from our tiny server</title>
<style>${STYLE}</style>
</head>
<body>
<h1>hello from our tiny server</h1>
<p>Can a server tell which browser you use? Only by what the browser says about itself:
its <code>User-Agent</code> header claims <strong>${escapeHtml(browser)}</strong> on
<strong>${escapeHtml(os)}</strong>.</p>
<h2>The request you sent</h2>
<table>
<tr><th>Method</th><td><code>${escapeHtml(request.method)}</code></td></tr>
<tr><th>Target</th><td><code>${escapeHtml(request.target)}</code></td></tr>
<tr><th>Version</th><td><code>${escapeHtml(request.httpVersion)}</code></td></tr>
<tr><th>From</th><td><code>${escapeHtml(request.remoteAddress)}:${request.remotePort}</code></td></tr>
</table>
<h2>Headers (${request.headers.size})</h2>
<table>
<tr><th>Name</th><th>Value</th></tr>
${headerRows}
</table>
<h2>Body</h2>
${bodySection}
<h2>The raw bytes of the request line and headers</h2>
<pre>${escapeHtml(showBytes(request.raw))}</pre>
</body>
</html>
`;
}
