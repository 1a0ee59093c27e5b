/**
 * Which configured device a request comes from: its bearer token (compared by SHA-256, so the lookup
 * time says nothing about the token) or, over TLS, the SHA-256 fingerprint of its client certificate.
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

  identify(request: FastifyRequest): HubDevice | undefined {
    const header = request.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      return m ? this.byToken.get(sha256(m[1]!)) : undefined;
    }
    const socket = request.raw.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate !== "function") return undefined;
    const fingerprint = socket.getPeerCertificate()?.fingerprint256;
    return fingerprint ? this.byCert.get(fingerprint.replaceAll(":", "").toLowerCase()) : undefined;
  }
}
