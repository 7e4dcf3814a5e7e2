import { createHmac, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/** How long a login lasts: the cookie's Max-Age and the expiry signed into it. */
export const DEFAULT_SESSION_SECONDS = 8 * 60 * 60;

// Fixed, so every board started with the same password derives the same key: a session issued
// by one process (or `--workers` child, or machine) is valid at all of them, with nothing shared.
const KEY_SALT = "wireweb message-board: administrator session key, version 1";

// `<expiry, unix seconds>.<16 random bytes>.<HMAC-SHA256>`, base64url: only cookie-octets.
const TOKEN = /^(\d{1,12})\.([\w-]{22})\.([\w-]{43})$/;

/**
 * Derives the key that signs sessions from the administrator's password. scrypt (16 MiB, about
 * 50 ms, once at start-up) rather than a plain hash: a session cookie is an HMAC under this key,
 * so whoever holds one could test password guesses against it offline, and scrypt makes every
 * guess cost that much. Changing the password changes the key, which ends every session.
 */
export function deriveSessionKey(password: string): Buffer {
  return scryptSync(password.normalize("NFC"), KEY_SALT, 32, { N: 2 ** 14, r: 8, p: 1 });
}

/**
 * Issues and checks the administrator's session: a signed, expiring token kept only in the
 * browser's cookie. Stateless, so it works across processes that share the password; the flip
 * side is that logging out deletes the browser's copy but cannot revoke a copy stolen earlier
 * before it expires (change the password to end every session at once).
 */
export class SessionSigner {
  readonly #key: Buffer;
  readonly #seconds: number;
  readonly #now: () => number;

  constructor(key: Buffer, seconds = DEFAULT_SESSION_SECONDS, now: () => number = Date.now) {
    if (!Number.isSafeInteger(seconds) || seconds < 1) {
      throw new RangeError(`session lifetime must be a positive number of seconds, got ${seconds}`);
    }
    this.#key = key;
    this.#seconds = seconds;
    this.#now = now;
  }

  /** Seconds a new session lasts (the cookie's Max-Age). */
  get seconds(): number {
    return this.#seconds;
  }

  /** A new session token, valid for {@link seconds} from now. */
  issue(): string {
    // Rounded up to a whole second: a session never lasts less than promised.
    const expires = Math.ceil((this.#now() + this.#seconds * 1000) / 1000);
    const payload = `${expires}.${randomBytes(16).toString("base64url")}`;
    return `${payload}.${this.#mac(payload)}`;
  }

  /**
   * Whether `token` is one this key issued and it has not expired. The MAC is compared in
   * constant time; anything malformed, tampered with or expired is simply `false`.
   */
  verify(token: string | undefined): boolean {
    if (token === undefined) return false;
    const match = TOKEN.exec(token);
    if (match === null) return false;
    const [, expires, nonce, mac] = match as unknown as [string, string, string, string];
    const expected = this.#mac(`${expires}.${nonce}`);
    // Both are 43 ASCII characters (the pattern saw to it), as timingSafeEqual requires.
    if (!timingSafeEqual(Buffer.from(mac, "latin1"), Buffer.from(expected, "latin1"))) {
      return false;
    }
    return Number(expires) * 1000 > this.#now();
  }

  #mac(payload: string): string {
    return createHmac("sha256", this.#key).update(`v1.${payload}`).digest("base64url");
  }
}

/**
 * Compares a submitted password with the real one without leaking, through timing, how much of
 * it matched or how long it is: both go through an HMAC under a random per-process key and the
 * equal-length digests are compared with `timingSafeEqual`.
 */
export function createPasswordCheck(password: string): (candidate: string) => boolean {
  const key = randomBytes(32);
  const digest = (text: string) => createHmac("sha256", key).update(text.normalize("NFC")).digest();
  const expected = digest(password);
  return (candidate) => timingSafeEqual(digest(candidate), expected);
}
