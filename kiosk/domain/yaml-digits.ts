/**
 * Account numbers, tax ids, terminal passwords and ids are strings, often of digits only, and YAML
 * reads an unquoted one as a number (`nrb: 06102055581000000000000000`, `password: 000000`, which
 * becomes 0, or an office `id: 1465`). The schema's "must be string" is right but does not say what to
 * do; the kiosk's and the hub's configuration errors add it. Shared here (hub/ may use kiosk/domain/).
 */

/**
 * The schema's type message for `instancePath`, with how to fix it when a string was given as a
 * number. `data` is the value found, when the validator reports it (ajv's `verbose`).
 */
export function digitsTypeMessage(instancePath: string, message: string, data: unknown): string {
  const key = instancePath.slice(instancePath.lastIndexOf("/") + 1);
  // Under a list (`trustedKeys/0`) the key is an index, which a technician does not write.
  if (typeof data !== "number" || message !== "must be string" || /^\d+$/.test(key)) return message;
  return `${message}: write it in quotes (${key}: "…"); unquoted, YAML reads the digits as a number`;
}
