/**
 * A fixed office day for reporting tests and goldens: a configuration that never changes under
 * them, and payments inserted directly (the flow is not under test here).
 */
import type { KioskConfig } from "../../../kiosk/config/types.ts";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";
import type { Db } from "../../../kiosk/store/db.ts";

export const DAY = "2026-11-25";

export function reportingConfig(patch: Partial<KioskConfig> = {}): KioskConfig {
  return {
    office: {
      id: "PZ1465",
      name: "Starostwo Powiatowe w Łódźmierzu",
      address: "ul. Żółkiewskiego 1, 00-001 Łódźmierz",
      nip: "1234563218",
    },
    kiosk: { id: "K01", timezone: "Europe/Warsaw", languages: ["pl", "en", "uk"], idleTimeoutSeconds: 60 },
    recipients: {
      POWIAT: { name: "Powiat Łódźmierski", nrb: makeNrb("10205226", "0000123456789012") },
      GMINA: { name: "Gmina Łódźmierz — dochody", nrb: makeNrb("10101023", "0000987654321098") },
      OPERATOR: { name: "Operator Kiosków Sp. z o.o.", nrb: makeNrb("10205226", "0000555566667777") },
    },
    components: {
      DR: { label: { pl: "Dowód rejestracyjny" }, recipient: "POWIAT" },
      TAB: { label: { pl: "Tablice rejestracyjne" }, recipient: "POWIAT" },
      NAL: { label: { pl: "Nalepka kontrolna" }, recipient: "POWIAT" },
      PEL: { label: { pl: "Opłata skarbowa od pełnomocnictwa" }, recipient: "GMINA" },
    },
    catalog: [],
    handlingFee: { amount: 200, recipient: "OPERATOR" },
    slips: { trustedKeys: [], offlinePolicy: "refuse" },
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

export interface SeedLine {
  code: string;
  amount: number;
  recipient: string;
  label?: string;
  quantity?: number;
  reference?: string;
}

export interface SeedPayment {
  id: string;
  paidAt: string;
  day?: string;
  slip?: string;
  caseRef?: string;
  lines: SeedLine[];
  status?: "approved" | "reversed" | "declined";
  state?: string;
  receiptNo?: string;
  reversedAt?: string;
  reversalReason?: string;
}

const digits = (id: string) => id.replace(/\D/g, "").padStart(6, "0");

/** Inserts one payment as the flow would have left it (state `done` unless told otherwise). */
export function insertPayment(db: Db, config: KioskConfig, p: SeedPayment): void {
  const total = p.lines.reduce((a, l) => a + l.amount, 0);
  const status = p.status ?? "approved";
  const paid = status !== "declined";
  db.prepare(
    `INSERT INTO sessions (id, kind, state, language, office_id, kiosk_id, slip_id, case_ref, total, created_at, updated_at,
       payment_status, paid_at, business_day, auth_code, masked_pan, card_brand, terminal_id, trace_no, receipt_no,
       reversed_at, reversal_reason)
     VALUES (?, ?, ?, 'pl', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    p.id,
    p.slip ? "slip" : "basket",
    p.state ?? (paid ? "done" : "declined"),
    config.office.id,
    config.kiosk.id,
    p.slip ?? null,
    p.caseRef ?? null,
    total,
    p.paidAt,
    p.paidAt,
    status,
    paid ? p.paidAt : null,
    paid ? (p.day ?? p.paidAt.slice(0, 10)) : null,
    paid ? `A${digits(p.id).slice(-5)}` : null,
    paid ? "************0119" : null,
    paid ? "VISA" : null,
    "52100001",
    paid ? digits(p.id).slice(-6) : null,
    p.receiptNo ?? (paid ? digits(p.id).slice(-4) : null),
    p.reversedAt ?? null,
    p.reversalReason ?? null,
  );
  p.lines.forEach((l, i) => {
    const r = config.recipients[l.recipient]!;
    db.prepare(
      `INSERT INTO session_lines (session_id, line_no, code, label, recipient, recipient_name, recipient_nrb, amount, quantity, reference, is_fee)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      p.id,
      i + 1,
      l.code,
      JSON.stringify({ pl: l.label ?? config.components[l.code]?.label.pl ?? l.code }),
      l.recipient,
      r.name,
      r.nrb,
      l.amount,
      l.quantity ?? 1,
      l.reference ?? null,
      l.code === "FEE" ? 1 : 0,
    );
  });
}

const FEE: SeedLine = { code: "FEE", amount: 200, recipient: "OPERATOR", label: "Opłata manipulacyjna" };

/** The fixed day: three approved payments, one reversed, plus a declined one and one of the day before. */
export function seedFixedDay(db: Db, config: KioskConfig): void {
  const tx = db.transaction(() => {
    insertPayment(db, config, {
      id: "pay-20261124-0009",
      paidAt: "2026-11-24T15:59:00+01:00",
      slip: "S/2026/000099",
      caseRef: "KOM/99/2026",
      lines: [{ code: "DR", amount: 5400, recipient: "POWIAT" }, FEE],
    });
    insertPayment(db, config, {
      id: "pay-20261125-0001",
      paidAt: "2026-11-25T08:05:12+01:00",
      slip: "S/2026/000123",
      caseRef: "KOM/123/2026",
      lines: [
        { code: "DR", amount: 5400, recipient: "POWIAT" },
        { code: "TAB", amount: 8000, recipient: "POWIAT" },
        { code: "NAL", amount: 1250, recipient: "POWIAT" },
        FEE,
      ],
    });
    insertPayment(db, config, {
      id: "pay-20261125-0002",
      paidAt: "2026-11-25T09:30:00+01:00",
      lines: [
        {
          code: "GEO_MAP",
          amount: 10000,
          quantity: 2,
          recipient: "POWIAT",
          label: 'Wypis z mapy, "ewidencyjnej"',
        },
        {
          code: "TAX_LOCAL",
          amount: 12345,
          recipient: "GMINA",
          label: "Podatek lokalny",
          reference: "DEC;2026/7",
        },
        FEE,
      ],
    });
    insertPayment(db, config, {
      id: "pay-20261125-0003",
      paidAt: "2026-11-25T11:45:30+01:00",
      slip: "S/2026/000124",
      caseRef: "KOM/124/2026",
      lines: [{ code: "PEL", amount: 1700, recipient: "GMINA" }, FEE],
      status: "reversed",
      reversedAt: "2026-11-25T11:50:00+01:00",
      reversalReason: "zła kwota",
    });
    insertPayment(db, config, {
      id: "pay-20261125-0004",
      paidAt: "2026-11-25T12:00:00+01:00",
      slip: "S/2026/000125",
      caseRef: "KOM/125/2026",
      lines: [{ code: "DR", amount: 5400, recipient: "POWIAT" }, FEE],
      status: "declined",
    });
    insertPayment(db, config, {
      id: "pay-20261125-0005",
      paidAt: "2026-11-25T23:59:59+01:00",
      slip: "S/2026/000126",
      caseRef: "",
      lines: [
        { code: "PEL", amount: 1700, recipient: "GMINA" },
        { code: "TAB", amount: 8000, recipient: "POWIAT" },
        FEE,
      ],
    });
  });
  tx();
}

/** Approved total of the fixed day: 0001 (14 850) + 0002 (22 545) + 0005 (9 900). */
export const FIXED_DAY_APPROVED_TOTAL = 14_850 + 22_545 + 9_900;
export const FIXED_DAY_APPROVED_COUNT = 3;

/** The terminal's end-of-day as stored; `offBy` makes it disagree with the kiosk. */
export function insertTerminalDay(db: Db, offBy = 0, closedAt = "2026-11-26T00:10:00+01:00"): void {
  db.prepare(
    `INSERT INTO terminal_days (business_day, closed_at, terminal_total, terminal_count, terminal_data, kiosk_total, kiosk_count)
     VALUES (?, ?, ?, ?, NULL, ?, ?)`,
  ).run(
    DAY,
    closedAt,
    FIXED_DAY_APPROVED_TOTAL + offBy,
    FIXED_DAY_APPROVED_COUNT,
    FIXED_DAY_APPROVED_TOTAL,
    FIXED_DAY_APPROVED_COUNT,
  );
}
