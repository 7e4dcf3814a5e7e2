import type { StoredMessage } from "@wireweb/message-store";
import type { Viewer } from "./admin.js";
import { escapeHtml } from "./html.js";
import { renderAdminControls } from "./login-page.js";
import type { TimeFormatter } from "./time-format.js";

/** The page title, as in the chapter. */
export const BOARD_TITLE = "Tiny Message Board";

/** The chapter's board: no administrator, anyone may clear. */
const ANYONE: Viewer = { access: "anyone", mayClear: true, loggedIn: false };

/** Everything one rendering of the board page needs. */
export interface BoardView {
  /** The messages on this page, oldest first. */
  messages: readonly StoredMessage[];
  formatter: TimeFormatter;
  /** Cursor for the "Older messages" link (`/?before=…`), when there are older ones. */
  olderCursor?: string | undefined;
  /** Cursor for the "Newer messages" link (`/?after=…`), when this is not the latest page. */
  newerCursor?: string | undefined;
  /** Whether this is the latest page: only it shows live updates. */
  latest: boolean;
  /** The SSE URL the script follows, on the latest page only. */
  liveUrl?: string | undefined;
  /** A problem with the last submission, shown above the form. */
  error?: string | undefined;
  /** Who is looking: decides between the Clear button and "Log in". Default: anyone may clear. */
  viewer?: Viewer | undefined;
  /** Text to put back into the textarea (after a refused post). */
  draft?: string | undefined;
}

/** One message as an `<li>`: text in a `<pre>` (lines kept even without CSS), then its time. */
export function renderMessage(message: StoredMessage, formatter: TimeFormatter): string {
  // The HTML parser drops one newline right after <pre>: the one written here, never the text's.
  return `<li id="m-${escapeHtml(message.id)}"><pre class="text">
${escapeHtml(message.text)}</pre><p class="posted">Posted: <time datetime="${escapeHtml(message.postedAt)}">${escapeHtml(formatter.format(message.postedAt))}</time></p></li>`;
}

/**
 * Renders the whole board page: the messages in the order posted, paging links, the post form
 * (a `textarea name="message"` and "Save Message") and the separate "Clear Messages" form.
 * Every piece of text is escaped. Works without script; `/board.js` only adds live updates.
 */
export function renderBoardPage(view: BoardView): string {
  const { formatter } = view;
  const items = view.messages.map((m) => renderMessage(m, formatter)).join("\n");
  const live = view.liveUrl === undefined ? "" : ` data-live="${escapeHtml(view.liveUrl)}"`;
  const older =
    view.olderCursor === undefined
      ? ""
      : `<a rel="prev" href="/?before=${encodeURIComponent(view.olderCursor)}">Older messages</a>`;
  const newer =
    view.newerCursor === undefined
      ? ""
      : `<a rel="next" href="/?after=${encodeURIComponent(view.newerCursor)}">Newer messages</a>`;
  const latest = view.latest ? "" : `<a href="/">Latest messages</a>`;
  const error =
    view.error === undefined
      ? ""
      : `<p class="notice error" id="error" role="alert">${escapeHtml(view.error)}</p>\n`;
  const empty = view.messages.length === 0 ? "" : " hidden";
  const topNav = older === "" ? "" : `<nav class="pages">${older}</nav>\n`;
  const bottomLinks = [newer, latest].filter((link) => link !== "").join(" ");
  const bottomNav = bottomLinks === "" ? "" : `<nav class="pages">${bottomLinks}</nav>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${BOARD_TITLE}</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/board.css">
<script src="/board.js" defer></script>
</head>
<body>
<main id="board" data-time-zone="${escapeHtml(formatter.timeZone)}"${live}>
<h1>${BOARD_TITLE}</h1>
<p class="zone">Times are shown in ${escapeHtml(formatter.timeZone)}.</p>
${topNav}<ol id="messages" class="messages">
${items}
</ol>
<p id="empty" class="empty"${empty}>No messages yet.</p>
${bottomNav}${error}<form method="post" action="/" class="post">
<label for="message">Your message</label>
<textarea id="message" name="message" rows="4" required>
${escapeHtml(view.draft ?? "")}</textarea>
<button type="submit">Save Message</button>
</form>
${renderAdminControls(view.viewer ?? ANYONE)}
</main>
</body>
</html>
`;
}

/** A small page for errors that have no form to re-show (404, 403, 405, 503, …). */
export function renderErrorPage(status: number, message: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${status} · ${BOARD_TITLE}</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/board.css">
</head>
<body>
<main>
<h1>${BOARD_TITLE}</h1>
<p class="notice error" role="alert">${escapeHtml(message)}</p>
<p><a href="/">Back to the board</a></p>
</main>
</body>
</html>
`;
}
