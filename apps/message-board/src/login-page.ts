import { escapeHtml } from "@wireweb/app-shell";
import { LOGOUT_FORM } from "./admin-controls.js";
import { BOARD_TITLE, pageHead } from "./render.js";

/** What the login page shows. */
export interface LoginView {
  /** Why the last attempt failed (wrong password, too many attempts). */
  error?: string | undefined;
  /** The visitor already has a session: a note and "Log out" instead of the form. */
  loggedIn?: boolean | undefined;
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
<button type="submit" class="primary">Log in</button>
</form>`;
  return `${pageHead(`Log in · ${BOARD_TITLE}`, false)}
<main>
<h1>${BOARD_TITLE}</h1>
<h2>Administrator</h2>
${body}
<p><a href="/" class="back">Back to the board</a></p>
</main>
</body>
</html>
`;
}
