/**
 * The title of the hub's payout transfer (Elixir-O, four lines of 35 characters): the day it settles,
 * the office and its name, and the recipient codes the account is paid for. One function, so the
 * configuration's check that every title fits (hub/config/load.ts) checks the titles the file carries.
 */
export function payoutTitle(date: string, office: string, officeName: string, codes: string[]): string[] {
  return [`ROZLICZENIE ${date}`, `${office} ${officeName}`, codes.join("+")];
}
