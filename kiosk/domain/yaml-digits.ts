/**
 * Account numbers and tax ids are strings of digits, and YAML reads an unquoted one as a number
 * (`nrb: 06102055581000000000000000`). The schema's "must be string" is right but does not say what to
 * do; the kiosk's and the hub's configuration errors add it. Shared here (hub/ may use kiosk/domain/).
 */

/** The configuration keys that hold digits the operator must quote. */
const DIGIT_KEYS = new Set(["nrb", "nip", "payerNrb"]);

/**
 * The schema's type message for `instancePath`, with how to fix it when a key of digits was given a
 * number. `data` is the value found, when the validator reports it (ajv's `verbose`).
 */
export function digitsTypeMessage(instancePath: string, message: string, data: unknown): string {
  const key = instancePath.slice(instancePath.lastIndexOf("/") + 1);
  if (!DIGIT_KEYS.has(key) || typeof data !== "number") return message;
  return `${message}: write it in quotes (${key}: "…"); unquoted, YAML reads the digits as a number`;
}
