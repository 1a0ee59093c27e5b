/**
 * Service session tokens: 256 random bits from the CSPRNG, prefixed `opl_s_` so a leaked one is
 * recognisable (the log scanner looks for the prefix). Only a SHA-256 of each token is kept in
 * memory. A token expires after 15 idle minutes (every accepted use renews that) and, however busy,
 * 8 hours after it was issued; a key login's tokens are revoked when the service key is turned back.
 */
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "opl_s_";
export const DEFAULT_IDLE_MS = 15 * 60 * 1000;
/** A shift's length: no token outlives it, used or not. */
export const DEFAULT_MAX_AGE_MS = 8 * 60 * 60 * 1000;

export interface TokenSession {
  /** A short random id for the audit log; not the token, and useless without it. */
  id: string;
  subject: string;
  issuedAt: number;
  lastUsedAt: number;
}

export interface TokenStoreOptions {
  idleMs?: number;
  maxAgeMs?: number;
  now?: () => number;
}

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export class TokenStore {
  private readonly sessions = new Map<string, TokenSession>();
  private readonly idleMs: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: TokenStoreOptions = {}) {
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    // Idle time and age are durations: the monotonic clock, which NTP stepping the wall clock (an hour
    // back, a day forward) does not move. Nothing here is shown as a time of day.
    this.now = options.now ?? (() => performance.now());
  }

  get idleSeconds(): number {
    return Math.round(this.idleMs / 1000);
  }

  issue(subject: string): string {
    this.sweep();
    const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const at = this.now();
    this.sessions.set(digest(token), {
      id: randomBytes(4).toString("hex"),
      subject,
      issuedAt: at,
      lastUsedAt: at,
    });
    return token;
  }

  /** The session of a live token (renewing it), or undefined when unknown or idle too long. */
  use(token: string): TokenSession | undefined {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const key = digest(token);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    const at = this.now();
    if (this.expired(session, at)) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastUsedAt = at;
    return { ...session };
  }

  revoke(token: string): void {
    this.sessions.delete(digest(token));
  }

  revokeAll(): void {
    this.sessions.clear();
  }

  /** Revokes every token issued to `subject` (e.g. `technician:key` when the key is turned back). */
  revokeSubject(subject: string): TokenSession[] {
    const revoked: TokenSession[] = [];
    for (const [key, session] of this.sessions) {
      if (session.subject === subject) {
        this.sessions.delete(key);
        revoked.push({ ...session });
      }
    }
    return revoked;
  }

  private expired(session: TokenSession, at: number): boolean {
    return at - session.lastUsedAt >= this.idleMs || at - session.issuedAt >= this.maxAgeMs;
  }

  private sweep(): void {
    const at = this.now();
    for (const [key, session] of this.sessions) {
      if (this.expired(session, at)) this.sessions.delete(key);
    }
  }
}
