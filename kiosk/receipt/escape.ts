/**
 * Escaping data for receiptline markup. Its markup gives meaning to `|`, `{`, `}`, `;` (inside
 * properties), `-`/`=` (whole-line rules and cuts), `_`, `"`, `` ` ``, `^` (decorations), `~` (space)
 * and `\`; a name, a case reference or a QR payload must print as written, so every such character
 * becomes a hexadecimal escape, which receiptline turns back into the plain character.
 */
const SPECIAL = /[\\|{};\-=_"`^~]/g;
// Control characters would become printer commands; receiptline drops most, we drop all.
const CONTROL = /[\u0000-\u001f\u007f]/g;

export function escapeText(data: string): string {
  return data
    .replace(CONTROL, " ")
    .trim()
    .replace(SPECIAL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** A property value (`{code:…}`): the same characters, and no trimming of what is a payload. */
export function escapeProperty(data: string): string {
  return data
    .replace(CONTROL, "")
    .replace(SPECIAL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
