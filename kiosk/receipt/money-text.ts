/**
 * Amounts as the receipt prints them, from integer grosze, with no floating point: `1 234,50 zł`.
 * (A local formatter so the receipt does not wait for kiosk/domain/money.ts; same output as its `pl`.)
 */
export function formatZloty(grosze: number): string {
  if (!Number.isSafeInteger(grosze)) throw new RangeError(`amount must be integer grosze: ${grosze}`);
  const sign = grosze < 0 ? "-" : "";
  const abs = Math.abs(grosze);
  const zl = Math.trunc(abs / 100).toString();
  const gr = (abs % 100).toString().padStart(2, "0");
  const grouped = zl.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${sign}${grouped},${gr} zł`;
}
