import { escapeHtml } from "./html.js";

/**
 * The 404 page that says why a folder shows nothing (no index file, listings off): HTML with
 * a viewport, so it reads on a phone, where a text/plain answer is laid out 980 px wide.
 */
export function renderNotFoundPage(detail: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>404 Not Found</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;line-height:1.5}</style>
</head>
<body>
<h1>404 Not Found</h1>
<p>${escapeHtml(detail)}</p>
</body>
</html>
`;
}
