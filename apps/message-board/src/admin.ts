import { setTimeout as sleep } from "node:timers/promises";
import { type HttpRequest, type HttpResponse, parseCookies, serializeCookie } from "@wireweb/http";
import { BoardError } from "./errors.js";
import { mediaTypeOf, parseFormFields } from "./forms.js";
import { LoginLimiter, type LoginLimits } from "./login-limiter.js";
import { renderLoginPage } from "./login-page.js";
import { sendHtml, sendSeeOther } from "./respond.js";
import { createPasswordCheck, deriveSessionKey, SessionSigner } from "./session.js";

/**
 * Who may clear the board: the logged-in `administrator` (a password is configured), `anyone`
 * (no password, and the board listens on loopback only: the chapter's board on your own
 * machine), or `nobody` (no password, and the board can be reached from the network).
 */
export type ClearAccess = "administrator" | "anyone" | "nobody";

/** What the page shows one visitor: the Clear button, or "Log in" (and "Log out"). */
export interface Viewer {
  readonly access: ClearAccess;
  readonly mayClear: boolean;
  readonly loggedIn: boolean;
}

/** The administrator's part of `BoardOptions`. */
export interface AdminOptions {
  /** With a password, only the administrator clears; the others may read and post. */
  adminPassword?: string | undefined;
  /** The server listens on loopback addresses only: without a password anyone may clear. */
  loopbackOnly?: boolean | undefined;
  /**
   * Browsers reach the board over HTTPS although it serves plain HTTP (a TLS-terminating proxy):
   * the session cookie is then `Secure` and `__Host-` as it is on the board's own TLS.
   */
  https?: boolean | undefined;
  /** Seconds a login lasts. Default 8 hours. */
  sessionSeconds?: number | undefined;
  /** How wrong passwords are slowed, then refused (429). */
  loginLimits?: Partial<LoginLimits> | undefined;
}

const REALM = 'Bearer realm="message-board"';
const HOW_TO_CONFIGURE =
  "start it with --admin-password-file FILE (or the ADMIN_PASSWORD variable) to have one";

/**
 * The board's administrator: who may clear, the login and logout routes, and the checks on
 * `POST /` with `clear` and `DELETE /api/messages`. See the README's "Administrator" section.
 */
export class BoardAdmin {
  readonly access: ClearAccess;
  readonly #https: boolean;
  readonly #signer: SessionSigner | undefined;
  readonly #passwordMatches: (candidate: string) => boolean;
  readonly #limiter: LoginLimiter;

  /** @throws TypeError for an empty password; RangeError for a bad session lifetime. */
  constructor(options: AdminOptions) {
    const password = options.adminPassword;
    if (password === "") throw new TypeError("options.adminPassword must not be empty");
    this.access =
      password !== undefined ? "administrator" : options.loopbackOnly ? "anyone" : "nobody";
    this.#https = options.https ?? false;
    this.#signer =
      password === undefined
        ? undefined
        : new SessionSigner(deriveSessionKey(password), options.sessionSeconds);
    this.#passwordMatches = password === undefined ? () => false : createPasswordCheck(password);
    this.#limiter = new LoginLimiter(options.loginLimits);
  }

  /** What `request`'s sender may do, for the page. */
  viewer(request: HttpRequest): Viewer {
    if (this.access !== "administrator") {
      return { access: this.access, mayClear: this.access === "anyone", loggedIn: false };
    }
    const loggedIn = this.#hasSession(request);
    return { access: this.access, mayClear: loggedIn, loggedIn };
  }

  /**
   * Refuses a clear unless `request` may clear: a session cookie, or (`api`) `Authorization:
   * Bearer <password>`, whose wrong guesses count against the address like the login form's.
   *
   * @throws BoardError `ERR_ADMIN_REQUIRED` (401), `ERR_WRONG_PASSWORD` (401),
   * `ERR_TOO_MANY_ATTEMPTS` (429), `ERR_CLEAR_DISABLED` (403).
   */
  async authorizeClear(request: HttpRequest, response: HttpResponse, api: boolean): Promise<void> {
    if (this.access === "anyone") return;
    if (this.access === "nobody") {
      throw new BoardError(
        "ERR_CLEAR_DISABLED",
        403,
        `Clearing is off: this board can be reached from the network and has no administrator; ${HOW_TO_CONFIGURE}.`,
      );
    }
    const authorization = api ? request.headers.get("authorization") : undefined;
    if (authorization === undefined) {
      if (this.#hasSession(request)) return;
      response.setHeader("WWW-Authenticate", REALM);
      throw new BoardError(
        "ERR_ADMIN_REQUIRED",
        401,
        api
          ? "Only the administrator can clear the board: send Authorization: Bearer <admin password>."
          : "Only the administrator can clear the board: log in at /login first.",
      );
    }
    // The whole rest is the password (it may hold spaces); the parser already trimmed the ends.
    const bearer = /^Bearer (.+)$/is.exec(authorization);
    if (bearer !== null && (await this.#tryPassword(request, response, bearer[1]!))) return;
    response.setHeader("WWW-Authenticate", `${REALM}, error="invalid_token"`);
    throw new BoardError("ERR_WRONG_PASSWORD", 401, "That is not the administrator's password.");
  }

  /** `GET /login`: the form (or, when logged in, a note and "Log out"). */
  async getLogin(request: HttpRequest, response: HttpResponse): Promise<void> {
    this.#requireAdministrator();
    await sendHtml(response, 200, renderLoginPage({ loggedIn: this.#hasSession(request) }));
  }

  /**
   * `POST /login` with `password`: right → 303 to `/` with the session cookie; wrong → 401 and
   * the form again; too many wrong ones from this address → 429 with `Retry-After`.
   */
  async postLogin(request: HttpRequest, response: HttpResponse): Promise<void> {
    this.#requireAdministrator();
    const password = await readPasswordField(request);
    let ok: boolean;
    try {
      ok = await this.#tryPassword(request, response, password);
    } catch (caught) {
      if (!(caught instanceof BoardError)) throw caught;
      await sendHtml(response, caught.status, renderLoginPage({ error: caught.message }));
      return;
    }
    if (!ok) {
      response.setHeader("WWW-Authenticate", REALM);
      await sendHtml(
        response,
        401,
        renderLoginPage({ error: "That is not the administrator's password." }),
      );
      return;
    }
    response.setHeader(
      "Set-Cookie",
      this.#cookie(request, this.#signer!.issue(), this.#signer!.seconds),
    );
    await sendSeeOther(response, "/");
  }

  /** `POST /logout`: deletes the session cookie, then 303 to `/`. */
  async postLogout(request: HttpRequest, response: HttpResponse): Promise<void> {
    response.setHeader("Set-Cookie", this.#cookie(request, "", 0));
    await sendSeeOther(response, "/");
  }

  #requireAdministrator(): void {
    if (this.access === "administrator") return;
    throw new BoardError(
      "ERR_NO_ADMINISTRATOR",
      404,
      this.access === "anyone"
        ? "This board has no administrator: it listens on this machine only, so anyone who can open it may clear it."
        : `This board has no administrator, so nobody can clear it; ${HOW_TO_CONFIGURE}.`,
    );
  }

  #hasSession(request: HttpRequest): boolean {
    const cookies = parseCookies(request.headers.getAll("cookie"));
    return this.#signer?.verify(cookies[this.#cookieName(request)]) ?? false;
  }

  /**
   * Checks a password from `request`'s address under the login limits: may wait first (slowed),
   * and throws 429 once the address has had too many wrong ones.
   */
  async #tryPassword(
    request: HttpRequest,
    response: HttpResponse,
    candidate: string,
  ): Promise<boolean> {
    const verdict = this.#limiter.attempt(request.remoteAddress);
    if (verdict.blocked) {
      response.setHeader("Retry-After", String(verdict.retryAfterSeconds));
      const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
      throw new BoardError(
        "ERR_TOO_MANY_ATTEMPTS",
        429,
        `Too many wrong passwords from your address; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      );
    }
    if (verdict.delayMs > 0) await sleep(verdict.delayMs, undefined, { signal: request.signal });
    // The form's body (4 KiB) and the header section bound what is hashed here.
    const ok = this.#passwordMatches(candidate);
    if (ok) this.#limiter.succeeded(request.remoteAddress);
    return ok;
  }

  /**
   * rfc6265bis §4.1.3: over HTTPS a `__Host-` cookie cannot be set by a subdomain or over plain
   * HTTP (and, in newer browsers, an `Http-` one not by script). Plain HTTP cannot have either.
   */
  #cookieName(request: HttpRequest): string {
    return this.#secure(request) ? "__Host-Http-board-session" : "board-session";
  }

  #secure(request: HttpRequest): boolean {
    return this.#https || request.secure;
  }

  #cookie(request: HttpRequest, value: string, maxAge: number): string {
    return serializeCookie(this.#cookieName(request), value, {
      path: "/",
      maxAge,
      httpOnly: true,
      sameSite: "Strict",
      secure: this.#secure(request),
    });
  }
}

/** The `password` field of a login form (urlencoded, 4 KiB at most). */
async function readPasswordField(request: HttpRequest): Promise<string> {
  const type = mediaTypeOf(request.headers.get("content-type"));
  if (type !== "" && type !== "application/x-www-form-urlencoded") {
    throw new BoardError(
      "ERR_UNSUPPORTED_MEDIA_TYPE",
      415,
      "The login form sends application/x-www-form-urlencoded; nothing else is accepted here.",
    );
  }
  return parseFormFields(await request.body({ limit: 4096 })).password?.[0] ?? "";
}

/**
 * The line the board prints at start about who may clear it; `warning` when clearing is off
 * (it then goes to stderr, so it is seen even with `--quiet`).
 */
export function describeClearAccess(
  access: ClearAccess,
  host: string,
): { line: string; warning: boolean } {
  switch (access) {
    case "administrator":
      return {
        line: "Only the administrator may clear the board (log in at /login).",
        warning: false,
      };
    case "anyone":
      return {
        line: "Anyone who can open the board may clear it: it listens on this machine only (--admin-password-file FILE sets an administrator).",
        warning: false,
      };
    case "nobody":
      return {
        line: `clearing is off: the board listens beyond this machine (host ${JSON.stringify(host)}) and has no administrator; ${HOW_TO_CONFIGURE}.`,
        warning: true,
      };
  }
}
