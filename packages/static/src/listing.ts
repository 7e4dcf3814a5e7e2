import { escapeHtml } from "./html.js";

/** One directory entry as the listing shows it. */
export interface ListingEntry {
  name: string;
  isDirectory: boolean;
  /** Bytes; ignored for directories. */
  size: number;
  mtimeMs: number;
}

/**
 * Sorts entries for a listing: directories first, then by name in code point order, which is
 * stable across locales and hosts (unlike `localeCompare`).
 */
export function sortEntries(entries: readonly ListingEntry[]): ListingEntry[] {
  return [...entries].sort((a, b) => {
    if (a.isDirectory !== b.isDirectory) return a.isDirectory ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/**
 * Renders an HTML listing of a directory. `urlPath` is the decoded request path (ending in
 * "/"). Every name is HTML-escaped for display and percent-encoded (as a `./`-relative
 * reference, so a name like `javascript:x` stays a path) for its link.
 */
export function renderListing(urlPath: string, entries: readonly ListingEntry[]): string {
  const title = `Index of ${escapeHtml(urlPath)}`;
  const rows = sortEntries(entries).map((entry) => {
    const suffix = entry.isDirectory ? "/" : "";
    const href = `./${encodeURIComponent(entry.name)}${suffix}`;
    const size = entry.isDirectory ? "-" : formatSize(entry.size);
    const modified = new Date(entry.mtimeMs).toISOString().slice(0, 16).replace("T", " ");
    return `<tr><td><a href="${escapeHtml(href)}">${escapeHtml(entry.name + suffix)}</a></td><td>${size}</td><td>${modified}</td></tr>`;
  });
  const parent = urlPath === "/" ? "" : `<tr><td><a href="../">../</a></td><td></td><td></td></tr>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}td{padding:0 1.5em 0 0;overflow-wrap:anywhere}td:nth-child(2){text-align:right}</style>
</head>
<body>
<h1>${title}</h1>
<table>
<thead><tr><th>Name</th><th>Size</th><th>Modified (UTC)</th></tr></thead>
<tbody>
${[parent, ...rows].filter(Boolean).join("\n")}
</tbody>
</table>
</body>
</html>
`;
}

/** Sizes in the binary units `ls -h` uses: 512, 1.5K, 12M. */
export function formatSize(bytes: number): string {
  const units = ["K", "M", "G", "T"];
  let value = bytes;
  let unit = "";
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return unit === ""
    ? String(bytes)
    : `${value < 10 ? value.toFixed(1) : Math.round(value)}${unit}`;
}
