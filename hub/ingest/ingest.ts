/**
 * What each ingest message does to the ledger, inside the idempotent transaction: the hub's own rules
 * (identity, splits adding up, NRBs of its registry, known transaction) and the rows written.
 */
import type { HeartbeatPayload } from "../../contracts/heartbeat.ts";
import type { ReceivedReversal, SettlementDay, SettlementTransaction } from "../../contracts/settlement.ts";
import { normalizeNrb } from "../../kiosk/domain/nrb.ts";
import { holdsCardNumber, scrubPans } from "../../kiosk/domain/pan.ts";
import { businessDay, isRealDay } from "../../kiosk/domain/time.ts";
import type { HubConfig, HubDevice } from "../config/types.ts";
import { HubRefusal } from "../http/problem.ts";
import type { SqlClient } from "../store/db.ts";
import {
  audit,
  insertDeviceDay,
  insertReversal,
  insertTransaction,
  noteActivity,
  ownTransaction,
  recomputeOfficeDay,
  touchOfficeDay,
} from "../store/ingest-store.ts";
import type { Answer } from "./idempotency.ts";

const TZ = "Europe/Warsaw";

/** 403 unless the body names the authenticated device's office and id. */
export function checkIdentity(device: HubDevice, body: { office: string; kiosk: string }): void {
  if (body.office !== device.office || body.kiosk !== device.id) {
    throw new HubRefusal(
      "FORBIDDEN",
      "The body names another device",
      `authenticated as ${device.office}/${device.id}, the body says ${body.office}/${body.kiosk}`,
    );
  }
}

/**
 * A masked PAN shows at most the first six and last four digits: anything more is card data. No other
 * text of the transaction may hold a card number either (a slip or case reference, a cashier, the
 * card's other fields): the hub would keep it in its ledger and print it in every report.
 */
function checkNoCardNumber(t: SettlementTransaction): void {
  const maskedPan = t.card.maskedPan;
  if (maskedPan !== null && (maskedPan.match(/\d/g)?.length ?? 0) > 10) {
    throw new HubRefusal("VALIDATION", "card.maskedPan holds more digits than a masked PAN may");
  }
  const texts: Array<[string, string | null | undefined]> = [
    ["/slip", t.slip],
    ["/case", t.case],
    ["/cashier", t.cashier],
    ["/card/brand", t.card.brand],
    ["/card/authCode", t.card.authCode],
    ["/card/terminalId", t.card.terminalId],
    ["/card/traceNumber", t.card.traceNumber],
    ...(t.slips ?? []).flatMap(
      (s, i): Array<[string, string | null]> => [
        [`/slips/${i}/slip`, s.slip],
        [`/slips/${i}/case`, s.case],
      ],
    ),
    ...t.splits.flatMap(
      (s, i): Array<[string, string | null | undefined]> => [
        [`/splits/${i}/component`, s.component],
        [`/splits/${i}/slip`, s.slip],
      ],
    ),
  ];
  const errors = texts
    .filter(([, text]) => typeof text === "string" && holdsCardNumber(text))
    .map(([path]) => ({ path, message: "holds what looks like a card number" }));
  if (errors.length > 0)
    throw new HubRefusal("VALIDATION", "The body holds what looks like a card number", undefined, errors);
}

/**
 * Splits add up to the total and each names a recipient of the office with the hub's NRB for it
 * (spaces and a `PL` prefix aside). Returns the splits carrying the hub's own form of each NRB, so
 * one account is one report row and one transfer however a sender wrote it.
 */
export function checkSplits(config: HubConfig, t: SettlementTransaction): SettlementTransaction["splits"] {
  const sum = t.splits.reduce((a, s) => a + s.amount, 0);
  if (sum !== t.total)
    throw new HubRefusal(
      "SPLITS_MISMATCH",
      "The splits do not add up to the total",
      `splits ${sum}, total ${t.total}`,
    );
  const office = config.offices[t.office];
  const errors: Array<{ path: string; message: string }> = [];
  t.splits.forEach((s, i) => {
    const r = office?.recipients[s.recipient];
    if (!r)
      errors.push({
        path: `/splits/${i}/recipient`,
        message: `${s.recipient} is not a recipient of ${t.office}`,
      });
    else if (normalizeNrb(s.nrb) !== r.nrb)
      errors.push({ path: `/splits/${i}/nrb`, message: `not the account the hub holds for ${s.recipient}` });
  });
  if (errors.length > 0)
    throw new HubRefusal(
      "UNKNOWN_ACCOUNT",
      "A split names a recipient or account the hub does not hold",
      undefined,
      errors,
    );
  return t.splits.map((s) => ({ ...s, nrb: office!.recipients[s.recipient]!.nrb }));
}

export async function bookTransaction(
  tx: SqlClient,
  config: HubConfig,
  device: HubDevice,
  t: SettlementTransaction,
): Promise<Answer> {
  checkIdentity(device, t);
  const splits = checkSplits(config, t);
  checkNoCardNumber(t);
  const day = businessDay(new Date(t.paidAt), TZ);
  // The ledger's key is (office, device, transactionId): another device's equal id is another
  // payment and is booked beside it. Only the sender's own id already booked is a conflict, and 409
  // tells it its message is delivered (SPEC §6).
  if (!(await insertTransaction(tx, { ...t, splits }, day, t.card)))
    throw new HubRefusal("CONFLICT", "This transaction is already booked", "under another Idempotency-Key");
  await noteActivity(tx, { office: device.office, device: device.id }, t.paidAt);
  if (await touchOfficeDay(tx, t.office, day)) {
    await audit(tx, `device:${device.office}/${device.id}`, "day_reopened", t.office, {
      day,
      transactionId: t.transactionId,
      why: "a transaction arrived after the day was closed",
    });
  }
  return { status: 201, body: { transactionId: t.transactionId, status: "booked", businessDay: day } };
}

export async function bookReversal(
  tx: SqlClient,
  device: HubDevice,
  pathId: string,
  r: ReceivedReversal,
): Promise<Answer> {
  checkIdentity(device, r);
  if (r.transactionId !== undefined && r.transactionId !== pathId)
    throw new HubRefusal("VALIDATION", "The path and the body name different transactions");
  // An id no transaction can have (a NUL, which PostgreSQL's text cannot hold and the hub refuses in
  // a body) is not found: asking the database would fail with a 500 its sender retries for ever.
  if (pathId.includes("\u0000"))
    throw new HubRefusal("NOT_FOUND", "No such transaction", "a transaction id holds no NUL character");
  // The device's own transaction: another device's equal id is not this device's payment, so it is
  // not found, as an id never booked (only the device that took a payment can have reversed it).
  const prior = await ownTransaction(tx, { office: device.office, device: device.id }, pathId);
  if (!prior) throw new HubRefusal("NOT_FOUND", "No such transaction", `transaction ${pathId} is not booked`);
  if (r.total !== undefined && prior.total !== r.total)
    throw new HubRefusal(
      "TOTAL_MISMATCH",
      "The reversal's total is not the transaction's",
      `booked ${prior.total}, reversal ${r.total}`,
    );
  if (prior.reversed) throw new HubRefusal("CONFLICT", "This transaction is already reversed");
  await noteActivity(tx, { office: device.office, device: device.id }, null);
  await insertReversal(tx, {
    transactionId: pathId,
    office: r.office,
    kiosk: r.kiosk,
    reversedAt: r.reversedAt ?? new Date().toISOString(),
    // Typed by a person at the kiosk or desk: a card number in it keeps its last four digits.
    reason: scrubPans(r.reason ?? ""),
    trace: r.terminalTraceNumber ?? null,
  });
  return {
    status: 201,
    body: { transactionId: pathId, status: "reversed", businessDay: prior.businessDay },
  };
}

export async function bookDay(tx: SqlClient, device: HubDevice, d: SettlementDay): Promise<Answer> {
  checkIdentity(device, d);
  if (!isRealDay(d.date)) throw new HubRefusal("VALIDATION", "date is not a real day");
  await insertDeviceDay(tx, d);
  await noteActivity(tx, { office: device.office, device: device.id }, null);
  const change = await recomputeOfficeDay(tx, d.office, d.date);
  if (change)
    await audit(tx, `device:${device.office}/${device.id}`, `day_${change}`, d.office, {
      day: d.date,
      by: d.kiosk,
    });
  return { status: 201, body: { office: d.office, kiosk: d.kiosk, date: d.date, status: "recorded" } };
}

export function checkHeartbeat(device: HubDevice, h: HeartbeatPayload): void {
  checkIdentity(device, h);
}
