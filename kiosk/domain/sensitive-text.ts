/**
 * Finds and masks card numbers and credentials in free text. Shared by the kiosk's and the hub's
 * logger (contracts/logging.ts: last-resort masking of every line) and by the log scanner the test
 * suite runs (scripts/scan-logs.ts), so all agree on what counts. Pure, so both daemons may import it:
 * - a card number is 13–19 digits — contiguous, or in groups split by one or two spaces, dashes or
 *   dots — that pass the Luhn check (kiosk/domain/pan.ts); masking keeps the first six and last four digits
 *   (PCI DSS 3.4.1 display rule);
 * - a token is anything our auth issues (`opl_` + at least 20 base64url characters), the
 *   credential after `Bearer ` in an authorization header, or a PEM private key block.
 */

import { maskCardNumbers as maskWith } from "./pan.ts";

export { type CardNumberHit, findCardNumbers, luhnValid } from "./pan.ts";

/** `4111111111111111` → `411111******1111` (first six, last four: the PCI DSS display rule). */
export function maskDigits(digits: string): string {
  return digits.slice(0, 6) + "*".repeat(digits.length - 10) + digits.slice(-4);
}

/** Replaces every card number in `text` with its masked form. */
export function maskCardNumbers(text: string): string {
  return maskWith(text, maskDigits);
}

/** Tokens our auth issues: `opl_s_…` (service sessions); see kiosk/auth/tokens.ts. */
const ISSUED_TOKEN = /opl_[A-Za-z0-9_-]{20,}/g;
/** `Bearer <credential>`; a credential of at least 8 characters that is not already redacted. */
const BEARER = /\bBearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/gi;

/** A PEM private key (in a JSON line its newlines are escaped, so the block is one line). */
const PRIVATE_KEY =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:(?!-----END)[\s\S]){0,8000}(?:-----END [A-Z ]*PRIVATE KEY-----)?/g;

export interface TokenHit {
  text: string;
  index: number;
}

export function findTokens(text: string): TokenHit[] {
  const hits: TokenHit[] = [];
  for (const re of [ISSUED_TOKEN, BEARER, PRIVATE_KEY]) {
    for (const match of text.matchAll(re)) hits.push({ text: match[0], index: match.index ?? 0 });
  }
  return hits;
}

export function maskTokens(text: string): string {
  if (!text.includes("opl_") && !/bearer/i.test(text) && !text.includes("PRIVATE KEY-----")) return text;
  return text
    .replace(ISSUED_TOKEN, "opl_[redacted]")
    .replace(BEARER, "Bearer [redacted]")
    .replace(PRIVATE_KEY, "[redacted private key]");
}

/** Card numbers and tokens, both. */
export function maskSensitiveText(text: string): string {
  return maskTokens(maskCardNumbers(text));
}

/**
 * Masks card numbers in one serialized JSON log line without breaking its syntax: inside strings
 * the digits are replaced; a bare JSON number that is a card number becomes a quoted masked string.
 */
export function maskJsonLine(line: string): string {
  const tokensMasked = maskTokens(line);
  if (!/[0-9]{4}/.test(tokensMasked)) return tokensMasked;
  return tokensMasked.replace(/"(?:[^"\\]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/g, (token) => {
    if (token.startsWith('"')) return maskCardNumbers(token);
    const masked = maskCardNumbers(token);
    return masked === token ? token : JSON.stringify(masked);
  });
}
