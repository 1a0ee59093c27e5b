/**
 * Which configured device a request comes from: its bearer token (compared by SHA-256, so the lookup
 * time says nothing about the token) or, over TLS, the SHA-256 fingerprint of its client certificate,
 * which must also verify against `server.tls.ca` (signed by it, not expired).
 */
import { createHash } from "node:crypto";
import type { TLSSocket } from "node:tls";
import type { FastifyRequest } from "fastify";
import type { HubDevice } from "../config/types.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export class DeviceDirectory {
  private readonly byToken = new Map<string, HubDevice>();
  private readonly byCert = new Map<string, HubDevice>();

  constructor(devices: HubDevice[]) {
    for (const d of devices) {
      if (d.token) this.byToken.set(sha256(d.token), d);
      if (d.clientCertSha256) this.byCert.set(d.clientCertSha256, d);
    }
  }

  /**
   * Why a client certificate presented named no device, for the hub's log: the TLS verdict on it
   * (expired, not signed by server.tls.ca). Nothing when none was presented or it verified.
   */
  static certificateProblem(request: FastifyRequest): { certificateError?: string } {
    const socket = request.raw.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate !== "function" || socket.authorized === true) return {};
    if (!socket.getPeerCertificate()?.fingerprint256) return {};
    return { certificateError: String(socket.authorizationError ?? "not verified") };
  }

  identify(request: FastifyRequest): HubDevice | undefined {
    const header = request.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      return m ? this.byToken.get(sha256(m[1]!)) : undefined;
    }
    const socket = request.raw.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate !== "function") return undefined;
    // The server asks for certificates without refusing the handshake (staff browsers have none), so
    // the chain is judged here: signed by server.tls.ca and within its dates, or no device at all. The
    // fingerprint then says which device; an expired or self-made copy of a registered one is nobody.
    if (socket.authorized !== true) return undefined;
    const fingerprint = socket.getPeerCertificate()?.fingerprint256;
    return fingerprint ? this.byCert.get(fingerprint.replaceAll(":", "").toLowerCase()) : undefined;
  }
}
