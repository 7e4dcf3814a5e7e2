import { escapeHtml } from "@wireweb/app-shell";
import type { StoredMessage } from "@wireweb/message-store";
import type { Viewer } from "./admin.js";
import { renderAdminControls } from "./admin-controls.js";
import type { TimeFormatter } from "./time-format.js";

/** The page title, as in the chapter. */
export const BOARD_TITLE = "Tiny Message Board";

/** The chapter's board: no administrator, anyone may clear. */
const ANYONE: Viewer = { access: "anyone", mayClear: true, loggedIn: false };

/** "Clear Messages", shown only to whoever may clear. */
const CLEAR_SECTION = `<section class="danger-zone" aria-labelledby="clear-heading">
<h2 id="clear-heading">Clear the board</h2>
<p>Removes every message, for everyone. You are asked to confirm first.</p>
<form method="post" action="/" class="clear" id="clear-form">
<button type="submit" name="clear" value="ask" class="danger">Clear Messages</button>
</form>
</section>
`;

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
  /** Who is looking: the Clear button only for whoever may clear. Default: anyone may. */
  viewer?: Viewer | undefined;
  /** Text to put back into the textarea (after a refused post). */
  draft?: string | undefined;
  /** Largest message in UTF-8 bytes: the form says so, and its script counts down to it. */
  maxMessageBytes: number;
}

/**
 * C0 controls but TAB and LF, DEL and C1 controls. Raw, they vanish (ESC), turn into U+FFFD (NUL)
 * or smuggle terminal escapes into a copy-paste; the page shows them instead.
 */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** The ASCII names of the C0 controls, by code (TAB and LF are never shown this way). */
const C0_NAMES =
  "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US".split(
    " ",
  );

/**
 * How a control character is shown: its ASCII name (`NUL`, `ESC`, `DEL`) or, for a C1 control,
 * its code point, boxed by CSS. Names rather than Unicode's control pictures (␀, ␛), which many
 * fonts lack. `/board.js` does the same for live messages.
 */
export function controlLabel(code: number): string {
  return code < 0x20 ? C0_NAMES[code]! : code === 0x7f ? "DEL" : codePoint(code);
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Escapes a message's text for HTML and shows each control character as a visible, labelled
 * box instead of sending it raw.
 *
 * @example renderText("a\u001b[31mb") // 'a<span class="control" title="control character U+001B">ESC</span>[31mb'
 */
export function renderText(text: string): string {
  let html = "";
  let last = 0;
  for (const match of text.matchAll(CONTROL)) {
    const code = match[0].charCodeAt(0);
    html += escapeHtml(text.slice(last, match.index));
    html += `<span class="control" title="control character ${codePoint(code)}">${controlLabel(code)}</span>`;
    last = match.index + 1;
  }
  return html + escapeHtml(text.slice(last));
}

/** One message as an `<li>`: text in a `<pre>` (lines kept even without CSS), then its time. */
export function renderMessage(message: StoredMessage, formatter: TimeFormatter): string {
  // The HTML parser drops one newline right after <pre>: the one written here, never the text's.
  return `<li id="m-${escapeHtml(message.id)}"><pre class="text">
${renderText(message.text)}</pre><p class="posted">Posted: <time datetime="${escapeHtml(message.postedAt)}">${escapeHtml(formatter.format(message.postedAt))}</time></p></li>`;
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
      : `<p class="notice error" id="message-error" role="alert">${escapeHtml(view.error)}</p>\n`;
  const describedBy = view.error === undefined ? "message-room" : "message-error message-room";
  // After a refused post the browser lands on the form (action="/#compose"), focus on the text.
  const focus = view.error === undefined ? "" : " autofocus";
  const empty = view.messages.length === 0 ? "" : " hidden";
  const topNav =
    older === "" ? "" : `<nav class="pages" aria-label="Older messages">${older}</nav>\n`;
  const bottomLinks = [newer, latest].filter((link) => link !== "").join(" ");
  const bottomNav =
    bottomLinks === ""
      ? ""
      : `<nav class="pages" aria-label="Newer messages">${bottomLinks}</nav>\n`;
  const max = view.maxMessageBytes;
  const viewer = view.viewer ?? ANYONE;
  return `${pageHead(BOARD_TITLE, true)}
<main id="board" data-time-zone="${escapeHtml(formatter.timeZone)}"${live}>
<h1>${BOARD_TITLE}</h1>
<p class="zone">Times are shown in ${escapeHtml(formatter.timeZone)}.</p>
${topNav}<ol id="messages" class="messages">
${items}
</ol>
<p id="empty" class="empty"${empty}>No messages yet.</p>
${bottomNav}<form method="post" action="/#compose" class="post" id="compose">
<label for="message">Your message</label>
${error}<textarea id="message" name="message" rows="4" required data-max-bytes="${max}" aria-describedby="${describedBy}"${focus}>
${escapeHtml(view.draft ?? "")}</textarea>
<p id="message-room" class="hint" aria-live="polite">Up to ${max} bytes: about ${max} letters of English, fewer in most other scripts.</p>
<button type="submit" class="primary">Save Message</button>
</form>
${viewer.mayClear ? CLEAR_SECTION : ""}${renderAdminControls(viewer)}</main>
</body>
</html>
`;
}

/**
 * The head of every page: charset, viewport (readable on phones), title, icon, style sheet, and
 * the script where the page has one.
 */
export function pageHead(title: string, script: boolean): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/board.css">
${script ? '<script src="/board.js" defer></script>\n' : ""}</head>
<body>`;
}

/**
 * "Clear every message?": the confirmation step of Clear Messages, so a slip of the finger
 * cannot empty the board, with or without script (the script asks with a dialog instead).
 */
export function renderClearConfirmPage(): string {
  return `${pageHead(`Clear every message? · ${BOARD_TITLE}`, false)}
<main>
<h1>${BOARD_TITLE}</h1>
<h2>Clear every message?</h2>
<p>This removes every message on the board, for everyone. It cannot be undone.</p>
<form method="post" action="/" class="clear">
<button type="submit" name="clear" value="confirm" class="danger">Yes, clear every message</button>
</form>
<p><a href="/" class="back">No, back to the board</a></p>
</main>
</body>
</html>
`;
}

/** A small page for errors that have no form to re-show (404, 403, 405, 503, …). */
export function renderErrorPage(status: number, message: string): string {
  return `${pageHead(`${status} · ${BOARD_TITLE}`, false)}
<main>
<h1>${BOARD_TITLE}</h1>
<p class="notice error" role="alert">${escapeHtml(message)}</p>
<p><a href="/" class="back">Back to the board</a></p>
</main>
</body>
</html>
`;
}
