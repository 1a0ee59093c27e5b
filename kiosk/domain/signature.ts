/**
 * Ed25519 signatures over `|`-joined fields, as OPL1 slips and OPLR1 receipt codes use them:
 * the signature covers the UTF-8 bytes of everything before the last `|`, written base64url
 * without padding (86 characters for 64 bytes). Node's built-in crypto, no dependency.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

/**
 * A signed code as read, without the line end a reader (or a file, or a pipe) puts after it: SPEC §1
 * reads a slip "after the line end is stripped", wherever it comes from.
 */
export function withoutLineEnd(raw: string): string {
  return raw.replace(/[\r\n]+$/, "");
}

export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;
export const KID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;

export function signText(text: string, privateKey: KeyObject): string {
  if (privateKey.asymmetricKeyType !== "ed25519") throw new TypeError("signing key must be Ed25519");
  return sign(null, Buffer.from(text, "utf8"), privateKey).toString("base64url");
}

export function verifyText(text: string, signature: string, publicKey: KeyObject): boolean {
  if (!SIGNATURE_PATTERN.test(signature)) return false;
  const bytes = Buffer.from(signature, "base64url");
  // base64url decoding is lenient about the last character's spare bits; the canonical form must match.
  if (bytes.length !== 64 || bytes.toString("base64url") !== signature) return false;
  try {
    return verify(null, Buffer.from(text, "utf8"), publicKey, bytes);
  } catch {
    return false;
  }
}

/** True when the PEM text holds a private key, which must never stand where a public key belongs. */
export function isPrivateKeyPem(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

/** Reads a PEM public key; throws on a private key and on anything that is not Ed25519. */
export function ed25519PublicKey(pem: string): KeyObject {
  if (isPrivateKeyPem(pem)) throw new TypeError("a private key where a public key belongs");
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== "ed25519") throw new TypeError("not an Ed25519 key");
  return key;
}

/** A tuple of `N` strings. */
export type Fields<N extends number, Acc extends string[] = []> = Acc["length"] extends N
  ? Acc
  : Fields<N, [...Acc, string]>;

/** Splits a `|`-separated code into exactly `n` fields, or null when the count differs. */
export function splitFields<N extends number>(payload: string, n: N): Fields<N> | null {
  const parts = payload.split("|");
  return parts.length === n ? (parts as Fields<N>) : null;
}
