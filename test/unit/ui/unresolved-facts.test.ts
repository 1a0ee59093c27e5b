/**
 * A payment recovery could not decide, as the service console words it: when it started and its slip
 * (what a technician looks for in the terminal's journal), how far it got said honestly (a crash after
 * the `authorizing` write may come before or after the request left), and the terminal's answer in
 * the console's language, not the daemon's class name.
 */
import { describe, expect, it } from "vitest";
import type { Language } from "../../../ui/src/api.ts";
import { serviceMessages } from "../../../ui/src/i18n/service.ts";
import type { UnresolvedPayment } from "../../../ui/src/service/service-api.ts";
import { unresolvedFacts } from "../../../ui/src/service/unresolved-facts.ts";

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
const facts = (p: UnresolvedPayment, lang: Language) =>
  unresolvedFacts(p, serviceMessages(lang).payments, lang).map(plain);

const crashed: UnresolvedPayment = {
  id: "K01_20261207_0001_SNZL",
  total: 23600,
  startedAt: "2026-12-07T18:04:09.023Z",
  slip: "S/2026/000123",
  stage: "nothing_sent",
  answer: "nothing",
  receiptNo: null,
};

describe("a payment awaiting staff's decision in the service console", () => {
  it("says when it started (office time) and which slip, what the terminal repeated, in each language", () => {
    const pl = facts(crashed, "pl");
    expect(pl[0]).toMatch(/^Rozpoczęta: 7 grudnia 2026.* 19:04 · Dokument: S\/2026\/000123$/);
    expect(pl).toContain("Odpowiedź terminala: nie powtórzył żadnej transakcji");
    const en = facts(crashed, "en");
    expect(en[0]).toBe("Started: 7 December 2026 at 19:04 · Slip: S/2026/000123");
    expect(en).toContain("The terminal's answer: it repeated no transaction");
    expect(facts(crashed, "uk")).toContain("Відповідь термінала: не повторив жодної транзакції");
    for (const lang of ["pl", "en", "uk"] as const)
      expect(facts(crashed, lang).join("\n")).not.toMatch(/nothing_sent|: nothing$/m);
  });

  it("does not tell staff nothing was sent when the kiosk only lacks a sign the terminal got the request", () => {
    expect(facts(crashed, "pl")).toContain("Etap: brak znaku, że terminal otrzymał polecenie");
    expect(facts(crashed, "en")).toContain(
      "How far it got: no sign yet that the terminal received the request",
    );
    for (const lang of ["pl", "en", "uk"] as const)
      expect(facts(crashed, lang).join("\n")).not.toMatch(/nic nie wysłano|nothing sent|нічого не надіслано/);
  });

  it("gives the receipt number of an approval the kiosk stored, and no slip line for services", () => {
    const stored = {
      ...crashed,
      slip: null,
      stage: "result_stored",
      answer: "unreadable",
      receiptNo: "0042",
    };
    const pl = facts(stored, "pl");
    expect(pl).toContain("Numer paragonu w zapisanej zgodzie terminala: 0042");
    expect(pl).toContain("Odpowiedź terminala: jego odpowiedzi nie da się odczytać");
    expect(pl.join("\n")).not.toContain("Dokument");
  });
});
