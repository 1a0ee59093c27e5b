/** A complete, valid configuration built in code for tests, with a fresh slip-signing key. */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import type { KioskConfig } from "../../kiosk/config/types.ts";
import { makeNrb } from "../../kiosk/domain/nrb.ts";
import { type SlipFields, signSlip } from "../../kiosk/domain/slip.ts";
import { compactDay, compactMinute } from "../../kiosk/domain/time.ts";

export interface TestKeys {
  slipKey: KeyObject;
  slipPublicPem: string;
}

export function testKeys(): TestKeys {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { slipKey: privateKey, slipPublicPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

export function testConfig(keys: TestKeys, patch: Partial<KioskConfig> = {}): KioskConfig {
  return {
    office: {
      id: "PZ1465",
      name: "Starostwo Powiatowe w Testowie",
      address: "ul. Próbna 1, 00-001 Testowo",
      nip: "1234563218",
    },
    kiosk: { id: "K01", timezone: "Europe/Warsaw", languages: ["pl", "en", "uk"], idleTimeoutSeconds: 60 },
    recipients: {
      POWIAT: { name: "Powiat Testowski", nrb: makeNrb("10205226", "0000123456789012") },
      GMINA: { name: "Gmina Testowo", nrb: makeNrb("10205226", "0000987654321098") },
      OPERATOR: { name: "Operator kiosku", nrb: makeNrb("10205226", "0000555566667777") },
    },
    components: {
      DR: {
        label: { pl: "Dowód rejestracyjny", en: "Registration certificate", uk: "Свідоцтво про реєстрацію" },
        recipient: "POWIAT",
      },
      TAB: {
        label: { pl: "Tablice rejestracyjne", en: "Number plates", uk: "Номерні знаки" },
        recipient: "POWIAT",
      },
      NAL: {
        label: { pl: "Nalepka kontrolna", en: "Control sticker", uk: "Контрольна наліпка" },
        recipient: "POWIAT",
      },
      PC: {
        label: { pl: "Pozwolenie czasowe", en: "Temporary permit", uk: "Тимчасовий дозвіл" },
        recipient: "POWIAT",
      },
      PEL: {
        label: {
          pl: "Opłata skarbowa od pełnomocnictwa",
          en: "Stamp duty (power of attorney)",
          uk: "Гербовий збір",
        },
        recipient: "GMINA",
      },
    },
    catalog: [
      {
        code: "GEO_MAP",
        label: { pl: "Wypis z mapy", en: "Map extract" },
        price: 5000,
        recipient: "POWIAT",
        validFrom: "2026-01-01",
      },
      {
        code: "TAX_LOCAL",
        label: { pl: "Podatek lokalny", en: "Local tax" },
        variable: { min: 100, max: 1000000 },
        reference: "required",
        recipient: "GMINA",
        validFrom: "2026-01-01",
      },
    ],
    handlingFee: { amount: 0, recipient: "OPERATOR" },
    slips: { trustedKeys: [{ kid: "pik2026", publicKey: keys.slipPublicPem }], offlinePolicy: "refuse" },
    devices: {
      terminal: { protocol: "fake" },
      printer: { protocol: "fake" },
      scanner: { type: "keyboard" },
      gpio: { backend: "sim" },
    },
    integrations: {},
    storage: { path: "oplatomat.db" },
    server: { host: "127.0.0.1", port: 0 },
    ...patch,
  };
}

let counter = 0;

/** A validly signed slip; override any field (a test for a forged slip signs with another key). */
export function issueSlip(
  keys: TestKeys,
  fields: Partial<SlipFields> = {},
  key: KeyObject = keys.slipKey,
): string {
  counter += 1;
  const now = new Date();
  const lines = fields.lines ?? [
    { code: "DR", amount: 5400 },
    { code: "TAB", amount: 8000 },
    { code: "NAL", amount: 1250 },
    { code: "PC", amount: 1350 },
  ];
  return signSlip(
    {
      office: "PZ1465",
      slip: `S/2026/${String(process.pid % 1000).padStart(3, "0")}${String(counter).padStart(5, "0")}`,
      caseRef: "KOM/123/2026",
      issued: compactMinute(now),
      valid: compactDay(new Date(now.getTime() + 14 * 86_400_000)),
      total: lines.reduce((a, l) => a + l.amount, 0),
      lines,
      kid: "pik2026",
      ...fields,
    },
    key,
  );
}
