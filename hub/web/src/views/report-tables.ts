/** The settlement report's tables: each a captioned table with column headers, amounts from grosze. */
import { componentLabel } from "../components.ts";
import type { ViewContext } from "../context.ts";
import { h, table } from "../dom.ts";
import { money, nrb, timeOfDay } from "../format.ts";
import type { DeviceKinds, Reconciliation, SettlementReport, Totals, Transaction } from "../model.ts";

function summary(context: ViewContext, report: SettlementReport): HTMLElement {
  const { t } = context;
  // Who the day still waits for: the devices whose end-of-day message has not come.
  const waiting = report.reconciliation.filter((r) => !r.reported).map((r) => r.device);
  const closed =
    report.closed === null
      ? null
      : report.closed
        ? t("dayClosedYes")
        : waiting.length > 0
          ? t("dayClosedNo", { devices: waiting.join(", ") })
          : t("dayClosedNoDevices");
  return h(
    "section",
    { "aria-labelledby": "summary-heading" },
    h("h3", { id: "summary-heading" }, t("summary")),
    h(
      "dl",
      { class: "summary" },
      h("div", {}, h("dt", {}, t("transactionCount")), h("dd", { "data-summary": "count" }, report.count)),
      h(
        "div",
        {},
        h("dt", {}, t("dayTotal")),
        h("dd", { "data-summary": "total" }, money(report.total, context.language)),
      ),
      closed
        ? h("div", {}, h("dt", {}, t("dayClosed")), h("dd", { "data-summary": "closed" }, closed))
        : null,
    ),
  );
}

function totalsRow(context: ViewContext, label: string, totals: Totals): Array<string | number> {
  return [label, totals.count, money(totals.total, context.language)];
}

function recipients(context: ViewContext, report: SettlementReport): HTMLTableElement {
  const { t, language } = context;
  return table({
    caption: t("byRecipient"),
    headers: [t("colRecipient"), t("colCode"), t("colAccount"), t("colCount"), t("colAmount")],
    rows: report.recipients.map((r) => [r.name, r.code, nrb(r.nrb), r.count, money(r.total, language)]),
    footer: [t("total"), "", "", "", money(report.total, language)],
    numeric: [3, 4],
    rowHeaders: true,
  });
}

function agreement(context: ViewContext, r: Reconciliation): string {
  const { t } = context;
  if (!r.reported) return t("agreementMissing");
  return r.mismatches === 0 ? t("agreementOk") : t("agreementMismatch", { n: r.mismatches });
}

function reconciliation(context: ViewContext, report: SettlementReport): HTMLTableElement {
  const { t, language } = context;
  const pair = (x: Totals | null) =>
    x ? t("countAndTotal", { count: x.count, total: money(x.total, language) }) : t("none");
  return table({
    caption: t("reconciliation"),
    headers: [t("colDevice"), t("colHub"), t("colReported"), t("colTerminal"), t("colAgreement")],
    rows: report.reconciliation.map((r) => [
      r.device,
      pair(r.hub),
      pair(r.reported),
      pair(r.terminal),
      agreement(context, r),
    ]),
    rowClass: (i) => {
      const r = report.reconciliation[i];
      return r && (!r.reported || r.mismatches > 0) ? "attention" : undefined;
    },
    rowHeaders: true,
  });
}

function card(tx: Transaction): string {
  return [tx.cardBrand, tx.maskedPan].filter((x) => x).join(" ");
}

/**
 * Every transaction of the day. A cash desk's payment names its cashier (SPEC §10), as the CSV and the
 * PDF do; the column is there when the day holds a desk's payment (a kiosks-only office has no cashier).
 */
function transactions(context: ViewContext, report: SettlementReport): HTMLTableElement {
  const { t, language } = context;
  const cashiers = report.transactions.some((tx) => tx.cashier);
  return table({
    caption: t("transactions"),
    headers: [
      t("colTime"),
      t("colTransaction"),
      t("colDevice"),
      ...(cashiers ? [t("colCashier")] : []),
      t("colCase"),
      t("colSlips"),
      t("colCard"),
      t("colAmount"),
      t("colStatus"),
    ],
    rows: report.transactions.map((tx) => [
      timeOfDay(tx.paidAt, language),
      tx.id,
      tx.device,
      ...(cashiers ? [tx.cashier ?? ""] : []),
      [...new Set([tx.caseRef, ...tx.slips.map((s) => s.caseRef)].filter((c) => c))].join(", "),
      tx.slips.map((s) => s.slip).join(", "),
      card(tx),
      money(tx.total, language),
      tx.reversed
        ? h("strong", { class: "reversed-mark" }, t("statusReversed", { amount: money(tx.total, language) }))
        : t("statusApproved"),
    ]),
    numeric: [cashiers ? 7 : 6],
    rowClass: (i) => (report.transactions[i]?.reversed ? "reversed" : undefined),
  });
}

function devices(context: ViewContext, report: SettlementReport, kinds: DeviceKinds): HTMLTableElement {
  const { t, language } = context;
  const known = kinds.get(report.office);
  // The kind is the hub's configuration's (devices[].kind); a device no longer configured has none.
  const kind = (id: string) => {
    const k = known?.get(id);
    return k === "desk" ? t("kindDesk") : k === "kiosk" ? t("kindKiosk") : t("none");
  };
  return table({
    caption: t("byDevice"),
    headers: [t("colDevice"), t("colKindDevice"), t("colCount"), t("colAmount")],
    rows: report.devices.map((d) => [d.id, kind(d.id), d.count, money(d.total, language)]),
    footer: [t("total"), "", report.count, money(report.total, language)],
    numeric: [2, 3],
    rowHeaders: true,
  });
}

export function reportTables(
  context: ViewContext,
  report: SettlementReport,
  kinds: DeviceKinds,
): HTMLElement {
  const { t, language } = context;
  if (report.transactions.length === 0 && report.count === 0) {
    return h("div", {}, summary(context, report), h("p", {}, t("noTransactions")));
  }
  const hasReversals = report.transactions.some((tx) => tx.reversed);
  return h(
    "div",
    { class: "report" },
    summary(context, report),
    recipients(context, report),
    table({
      caption: t("byComponent"),
      headers: [t("colComponent"), t("colCount"), t("colAmount")],
      rows: report.components.map((c) => totalsRow(context, componentLabel(c.code, language), c)),
      numeric: [1, 2],
      rowHeaders: true,
    }),
    devices(context, report, kinds),
    report.reconciliation.length > 0 ? reconciliation(context, report) : null,
    transactions(context, report),
    hasReversals ? h("p", { class: "note" }, t("reversedLegend")) : null,
  );
}
