/** How wrong administrator passwords from one address are slowed and then refused. */
export interface LoginLimits {
  /** Wrong passwords from one address answered at once. Default 5. */
  freeFailures: number;
  /** Each attempt past `freeFailures` waits this much longer before it is checked. Default 1 s. */
  delayStepMs: number;
  /** The longest such wait. Default 5 s. */
  maxDelayMs: number;
  /** Past this many wrong passwords the address gets 429 until its window ends. Default 10. */
  maxFailures: number;
  /** Failures count for this long from the first one. Default 15 minutes. */
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: Readonly<LoginLimits> = Object.freeze({
  freeFailures: 5,
  delayStepMs: 1000,
  maxDelayMs: 5000,
  maxFailures: 10,
  windowMs: 15 * 60 * 1000,
});

/** Addresses remembered at most; past it the oldest are forgotten (memory stays bounded). */
const MAX_TRACKED = 10_000;

/** What to do with one password attempt. */
export type LoginVerdict =
  | { blocked: false; delayMs: number }
  | { blocked: true; retryAfterSeconds: number };

interface Failures {
  count: number;
  since: number;
}

/**
 * Counts wrong administrator passwords per client address (an IPv6 client by its /64, which one
 * machine usually owns whole). An attempt is counted as a failure *before* the password is
 * checked and forgiven on success, so firing many guesses at once gains nothing. Behind a
 * reverse proxy every client shares the proxy's address: the limits then apply to all together.
 */
export class LoginLimiter {
  readonly #limits: LoginLimits;
  readonly #now: () => number;
  readonly #failures = new Map<string, Failures>();

  constructor(limits: Partial<LoginLimits> = {}, now: () => number = Date.now) {
    this.#limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
    this.#now = now;
  }

  /** Call before checking a password from `address`; then {@link succeeded} if it was right. */
  attempt(address: string): LoginVerdict {
    const key = addressKey(address);
    const now = this.#now();
    const limits = this.#limits;
    let entry = this.#failures.get(key);
    if (entry === undefined || now - entry.since >= limits.windowMs) {
      this.#forgetOld(now);
      entry = { count: 0, since: now };
      this.#failures.set(key, entry);
    }
    if (entry.count >= limits.maxFailures) {
      return {
        blocked: true,
        retryAfterSeconds: Math.max(1, Math.ceil((entry.since + limits.windowMs - now) / 1000)),
      };
    }
    entry.count += 1;
    const over = entry.count - limits.freeFailures;
    return {
      blocked: false,
      delayMs: over > 0 ? Math.min(over * limits.delayStepMs, limits.maxDelayMs) : 0,
    };
  }

  /** The password from `address` was right: its failures are forgiven. */
  succeeded(address: string): void {
    this.#failures.delete(addressKey(address));
  }

  #forgetOld(now: number): void {
    if (this.#failures.size < MAX_TRACKED) return;
    for (const [key, entry] of this.#failures) {
      if (now - entry.since >= this.#limits.windowMs) this.#failures.delete(key);
    }
    // Still full: forget the oldest (a Map iterates in insertion order).
    for (const key of this.#failures.keys()) {
      if (this.#failures.size < MAX_TRACKED) break;
      this.#failures.delete(key);
    }
  }
}

/**
 * The key an address is counted under: IPv4 as is (also when IPv4-mapped, `::ffff:1.2.3.4`),
 * IPv6 by its first four groups (its /64), since one host is usually handed a whole /64.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return mapped[1]!;
  if (!address.includes(":")) return address;
  const [head = "", tail] = address.split("%")[0]!.toLowerCase().split("::") as [string, string?];
  const groups = head === "" ? [] : head.split(":");
  if (tail !== undefined) {
    const rest = tail === "" ? [] : tail.split(":");
    groups.push(...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill("0"), ...rest);
  }
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}
