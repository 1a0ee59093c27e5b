/**
 * What keeps other web pages from driving the loopback listener (SPEC §4). A page in some other
 * browser tab may send requests to 127.0.0.1, and a DNS-rebinding site may make its own name
 * resolve there; neither can forge the `Host` the browser sends or the `Origin`/`Sec-Fetch-Site`
 * of a state-changing request. So: a `Host` other than the listener's own address or `localhost`
 * (with its port, or bare) is answered 421, and a POST/PUT/PATCH/DELETE from another origin 403.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { problem } from "./problem.ts";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Fetch metadata a browser sends for its own page's requests, or for a typed-in URL / non-browser. */
const SAME_SITE_FETCH = new Set(["same-origin", "none"]);

/** The `host[:port]` forms this connection's listener answers to: its address and `localhost`. */
export function ownHosts(localAddress: string, localPort: number): string[] {
  const names = ownNames(localAddress);
  const hosts = names.map((n) => `${n}:${localPort}`);
  // A Host without a port means the scheme's default port.
  if (localPort === 80) hosts.push(...names);
  return hosts;
}

/**
 * The bare names of the listener. SPEC §4 names its address and `localhost`; what DNS rebinding
 * forges is the name, so a hand-written request that leaves the port out is served. An `Origin`
 * is still compared with its port: another port is another site.
 */
function ownNames(localAddress: string): string[] {
  return [localAddress.includes(":") ? `[${localAddress}]` : localAddress, "localhost"];
}

/** The listener a request came in on; undefined for one injected in-process (no socket, no network). */
function listenerOf(request: FastifyRequest): { address: string; port: number } | undefined {
  const socket = request.raw.socket;
  if (socket.localPort === undefined || socket.localAddress === undefined) return undefined;
  return { address: socket.localAddress.replace(/^::ffff:(?=\d+\.)/, ""), port: socket.localPort };
}

/** Why a request must be refused, or null. Exported for unit tests of the header rules. */
export function refusal(
  method: string,
  headers: Record<string, string | string[] | undefined>,
  listener: { address: string; port: number },
): { status: 421 | 403; detail: string } | null {
  const allowed = ownHosts(listener.address, listener.port);
  const host = String(headers["host"] ?? "").toLowerCase();
  if (!allowed.includes(host) && !ownNames(listener.address).includes(host)) {
    return {
      status: 421,
      detail: `this listener answers to ${allowed.join(" or ")}, not ${host || "no Host"}`,
    };
  }
  if (!STATE_CHANGING.has(method)) return null;
  const origin = headers["origin"];
  if (origin !== undefined) {
    const own = allowed.map((h) => `http://${h}`);
    if (!own.includes(String(origin).toLowerCase())) {
      return { status: 403, detail: `a request from ${String(origin)} may not change anything here` };
    }
  }
  const site = headers["sec-fetch-site"];
  if (site !== undefined && !SAME_SITE_FETCH.has(String(site).toLowerCase())) {
    return { status: 403, detail: `a ${String(site)} request may not change anything here` };
  }
  return null;
}

/** Installs the checks on every route of the (root) loopback application. */
export function installLoopbackGuard(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    const listener = listenerOf(request);
    const refused = listener && refusal(request.method, request.headers, listener);
    if (!refused) return;
    request.log.warn(
      { method: request.method, url: request.url.split("?")[0], status: refused.status, why: refused.detail },
      "refused a request from outside the kiosk's own pages",
    );
    // SPEC §4 fixes the codes a problem may carry: a foreign Host is not a valid request to this
    // listener, and a cross-site page is not authorised to change anything.
    return problem(reply, refused.status === 421 ? "MISDIRECTED" : "CROSS_SITE", { detail: refused.detail });
  });
}
