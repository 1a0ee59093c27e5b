/**
 * Codes the kiosk reads (SPEC §1 slips, §1b transfer codes) are UTF-8 text. What reaches the domain
 * is already a string; text decoded from bytes that were not UTF-8 shows it by holding U+FFFD, the
 * character a decoder (Node's, fastify's body reader, a scanner driver) puts in place of each invalid
 * sequence, or a lone UTF-16 surrogate (a JSON `\ud800` escape), which has no UTF-8 form at all.
 */
const NOT_FROM_UTF8 = /[\uFFFD\p{Cs}]/u;

/** True when the text is what UTF-8 bytes decode to, without a replaced or a lone character. */
export function isUtf8Text(text: string): boolean {
  return !NOT_FROM_UTF8.test(text);
}
