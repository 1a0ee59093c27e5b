/**
 * Technicians' sessions on the service API: login with the service PIN (throttled, one attempt at a
 * time, so parallel guesses cannot slip past the lockout count) or while the service key is turned,
 * the bearer token it issues, the hook that admits only a live token, and the end of every key
 * session once the key is turned back. Every login, refusal and logout is audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bearerToken } from "../../auth/bearer.ts";
import { LoginThrottle } from "../../auth/login-throttle.ts";
import { verifyPin } from "../../auth/pin-hash.ts";
import { TokenStore } from "../../auth/tokens.ts";
import type { AuditWriter, ServiceBackend } from "../../service/ports.ts";
import { problem } from "../problem.ts";

export interface ServiceLoginOptions {
  backend: ServiceBackend;
  audit: AuditWriter;
  /** `service.pinHash`; without it PIN login is refused (there is no default PIN). */
  pinHash?: string;
  /** Injected for tests; defaults to 15 idle minutes (8 h at most) and 5 wrong PINs → 5, 10, 20… minutes locked. */
  tokens?: TokenStore;
  throttle?: LoginThrottle;
  /** Told of every refused PIN login (wrong PIN, or any PIN while locked): the failures metric. */
  onLoginFailure?: (reason: "wrong_pin" | "locked") => void;
}

type Method = "pin" | "key";

declare module "fastify" {
  interface FastifyRequest {
    /** The technician of the request's token (`technician#<session>`), set by the guard. */
    serviceActor?: string;
  }
}

/** A key login lasts while the key is turned: turning it back ends every session it opened. */
const KEY_SUBJECT = "technician:key";

export class ServiceLogin {
  private readonly tokens: TokenStore;
  private readonly throttle: LoginThrottle;
  private loginQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly app: FastifyInstance,
    private readonly options: ServiceLoginOptions,
  ) {
    this.tokens = options.tokens ?? new TokenStore();
    this.throttle = options.throttle ?? new LoginThrottle();
  }

  /** The audit log's name for the technician of token session `sessionId`. */
  actorOf(sessionId: string): string {
    return `technician#${sessionId}`;
  }

  /** Ends the key's sessions once the key is turned back (subscribed when the app is ready). */
  watchServiceKey(): void {
    // Subscribed once the app is ready: the composition root may build the backend only then.
    let unsubscribe: (() => void) | undefined;
    this.app.addHook("onReady", async () => {
      unsubscribe = this.options.backend.onServiceKey?.((turned) => {
        if (!turned) void this.endKeySessions();
      });
    });
    this.app.addHook("onClose", async () => unsubscribe?.());
  }

  /** Ends the key's sessions, each with its logout in the audit log. */
  private async endKeySessions(): Promise<void> {
    for (const session of this.tokens.revokeSubject(KEY_SUBJECT)) {
      try {
        await this.options.audit(this.actorOf(session.id), "service.logout", null, {
          method: "key",
          reason: "service key turned back",
        });
      } catch (error) {
        this.app.log.error(
          { err: error instanceof Error ? error.message : String(error) },
          "audit of a key logout failed",
        );
      }
    }
  }

  /** Logs in, in turn with every other login. */
  login(method: Method, pin: string | undefined, reply: FastifyReply): Promise<unknown> {
    const attempt = this.loginQueue.then(() =>
      method === "key" ? this.keyLogin(reply) : this.pinLogin(pin, reply),
    );
    this.loginQueue = attempt.catch(() => undefined);
    return attempt;
  }

  private async keyLogin(reply: FastifyReply): Promise<unknown> {
    if (!this.options.backend.serviceKeyTurned()) {
      await this.refused("service key not turned", "key");
      return problem(reply, "UNAUTHORIZED", { title: "Service key not turned" });
    }
    return this.issue("key", reply);
  }

  private async pinLogin(pin: string | undefined, reply: FastifyReply): Promise<unknown> {
    const { options, throttle } = this;
    const lockedMs = throttle.lockedForMs();
    if (lockedMs > 0) {
      options.onLoginFailure?.("locked");
      await this.refused("locked", "pin");
      reply.header("retry-after", String(Math.ceil(lockedMs / 1000)));
      return problem(reply, "TOO_MANY_REQUESTS", {
        title: "Too many wrong PINs",
        detail: "Service login is locked for a while.",
      });
    }
    if (!options.pinHash) {
      await this.refused("no PIN configured", "pin");
      return problem(reply, "UNAUTHORIZED", { title: "Service PIN login is not configured" });
    }
    if (pin === undefined) return problem(reply, "INVALID_REQUEST", { title: "pin is required" });
    if (!(await verifyPin(pin, options.pinHash))) {
      const lockedFor = throttle.recordFailure();
      options.onLoginFailure?.("wrong_pin");
      await options.audit("anonymous", "service.login.failed", null, {
        method: "pin",
        ...(lockedFor > 0 ? { lockedForSeconds: Math.ceil(lockedFor / 1000) } : {}),
      });
      return problem(reply, "UNAUTHORIZED", { title: "Wrong PIN" });
    }
    throttle.recordSuccess();
    return this.issue("pin", reply);
  }

  private async refused(reason: string, method: Method): Promise<void> {
    await this.options.audit("anonymous", "service.login.refused", null, { method, reason });
  }

  private async issue(method: Method, reply: FastifyReply): Promise<unknown> {
    const token = this.tokens.issue(`technician:${method}`);
    const session = this.tokens.use(token);
    await this.options.audit(this.actorOf(session?.id ?? "?"), "service.login", null, { method });
    reply.header("cache-control", "no-store");
    return { token, tokenType: "Bearer", idleTimeoutSeconds: this.tokens.idleSeconds };
  }

  /** An onRequest hook: a live token (a key session only while the key is turned), or 401. */
  guard() {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const token = bearerToken(request.headers.authorization);
      let session = token === undefined ? undefined : this.tokens.use(token);
      if (session?.subject === KEY_SUBJECT && !this.options.backend.serviceKeyTurned()) {
        // The key was turned back while no event reached us (or the backend has none): end it now.
        await this.endKeySessions();
        session = undefined;
      }
      if (!session) {
        reply.header("www-authenticate", 'Bearer realm="oplatomat-service"');
        return problem(reply, "UNAUTHORIZED", { title: "Missing, unknown or expired token" });
      }
      request.serviceActor = this.actorOf(session.id);
      return undefined;
    };
  }

  /** Ends the session of the request's token. */
  logout(request: FastifyRequest): void {
    const token = bearerToken(request.headers.authorization);
    if (token) this.tokens.revoke(token);
  }
}
