/**
 * Response headers that keep a browser from doing more with the daemon's answers than the kiosk UI
 * needs: scripts, styles, images, audio and connections from the daemon itself only, never framed,
 * never content-sniffed. The Lit UI is built to files (no inline script; styles are adopted
 * stylesheets), so `'self'` is enough for it.
 */
import type { FastifyInstance } from "fastify";

export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // blob: for speech: the UI POSTs `{ id, language, params }` (a JSON POST cannot be sent cross-site
  // without a CORS preflight) and plays the WAV it received from an object URL of its own.
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The management listener serves no UI of ours (only the API docs), so it only forbids framing. */
export const MANAGEMENT_CONTENT_SECURITY_POLICY = "frame-ancestors 'none'";

export function installSecurityHeaders(app: FastifyInstance, contentSecurityPolicy: string): void {
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("content-security-policy", contentSecurityPolicy);
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    reply.header("referrer-policy", "no-referrer");
    return payload;
  });
}
