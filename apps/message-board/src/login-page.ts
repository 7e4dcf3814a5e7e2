import type { Viewer } from "./admin.js";
import { escapeHtml } from "./html.js";
import { BOARD_TITLE } from "./render.js";

/** What the login page shows. */
export interface LoginView {
  /** Why the last attempt failed (wrong password, too many attempts). */
  error?: string | undefined;
  /** The visitor already has a session: a note and "Log out" instead of the form. */
  loggedIn?: boolean | undefined;
}

/** The "Log out" button: a POST form, so a link or an image elsewhere cannot log anyone out. */
const LOGOUT_FORM = `<form method="post" action="/logout" class="logout">
<button type="submit">Log out</button>
</form>`;

/**
 * The administrator's controls under the board: the "Clear Messages" form for whoever may
 * clear (plus "Log out" for a logged-in administrator), a "Log in" link for everyone else.
 */
export function renderAdminControls(viewer: Viewer): string {
  if (!viewer.mayClear) return `<p class="admin"><a href="/login">Log in</a></p>`;
  const clear = `<form method="post" action="/" class="clear" id="clear-form">
<button type="submit" name="clear" value="1">Clear Messages</button>
</form>`;
  return viewer.loggedIn ? `${clear}\n${LOGOUT_FORM}` : clear;
}

/** `GET /login` and a refused `POST /login`: the password form (field `password`). */
export function renderLoginPage(view: LoginView): string {
  const error =
    view.error === undefined
      ? ""
      : `<p class="notice error" id="error" role="alert">${escapeHtml(view.error)}</p>\n`;
  const body = view.loggedIn
    ? `<p>You are logged in as the administrator.</p>\n${LOGOUT_FORM}`
    : `${error}<form method="post" action="/login" class="login">
<label for="password">Administrator password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · ${BOARD_TITLE}</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/board.css">
</head>
<body>
<main>
<h1>${BOARD_TITLE}</h1>
<h2>Administrator</h2>
${body}
<p><a href="/">Back to the board</a></p>
</main>
</body>
</html>
`;
}
