/** Polish tax id (NIP): ten digits, the last a mod-11 check over the first nine. */

const NIP_WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7] as const;

/** Accepts the bare ten digits, or with the usual dashes/spaces (`123-456-78-83`). */
export function isValidNip(nip: string): boolean {
  const digits = nip.replace(/[\s-]/g, "");
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * NIP_WEIGHTS[i]!;
  const check = sum % 11;
  // A remainder of 10 is never issued.
  return check !== 10 && check === Number(digits[9]);
}
