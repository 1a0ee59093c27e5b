/** The slip issuers' public keys of `slips.trustedKeys`, by key id, for checking slip signatures. */
import type { KeyObject } from "node:crypto";
import { ed25519PublicKey } from "../domain/signature.ts";
import type { KioskConfig } from "./types.ts";

export function trustedSlipKeys(config: KioskConfig): Map<string, KeyObject> {
  return new Map(config.slips.trustedKeys.map((k) => [k.kid, ed25519PublicKey(k.publicKey)]));
}
