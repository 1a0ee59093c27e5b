/** Packed BCD, as ZVT writes amounts, trace and receipt numbers, dates and passwords. */

/** Encodes a non-negative integer or digit string into `bytes` bytes of packed BCD, left-padded with zeros. */
export function encodeBcd(value: number | string, bytes: number): Buffer {
  const digits = typeof value === "number" ? String(value) : value;
  if (!/^[0-9]*$/.test(digits)) throw new RangeError(`not a decimal number: ${digits}`);
  if (typeof value === "number" && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`not a non-negative integer: ${value}`);
  }
  if (digits.length > bytes * 2) throw new RangeError(`${digits} does not fit in ${bytes} BCD bytes`);
  const padded = digits.padStart(bytes * 2, "0");
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) {
    out[i] = (Number(padded[i * 2]) << 4) | Number(padded[i * 2 + 1]);
  }
  return out;
}

/** Decodes packed BCD to its digit string; throws on a nibble above 9. */
export function decodeBcd(data: Buffer): string {
  let out = "";
  for (const byte of data) {
    const hi = byte >> 4;
    const lo = byte & 0x0f;
    if (hi > 9 || lo > 9) throw new RangeError(`invalid BCD byte 0x${byte.toString(16)}`);
    out += String(hi) + String(lo);
  }
  return out;
}

export function decodeBcdNumber(data: Buffer): number {
  return Number(decodeBcd(data));
}
