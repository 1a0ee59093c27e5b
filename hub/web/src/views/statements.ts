/**
 * Statement upload: an MT940 file from the acquirer or the office's bank, sent as it is, and the
 * hub's matching result — matched, missing, extra, and different to the grosz — as tables.
 */
import { STATEMENT_BODY_LIMIT } from "../../../../contracts/statement-upload.ts";
import { ApiError } from "../api.ts";
import { describeError, type View, type ViewContext } from "../context.ts";
import { h, replace, table } from "../dom.ts";
import { dateTime, longDay, money, nrb } from "../format.ts";
import type { MessageKey } from "../i18n.ts";
import { decodeImportErrors, decodeStatements, type MatchLine, type StatementMatch } from "../model.ts";
import { officeSelect } from "./office-picker.ts";

const KIND_WORDS: Record<string, MessageKey> = {
  acquirer_credit: "kindAcquirer",
  payout: "kindPayout",
  credit: "kindCredit",
  debit: "kindDebit",
  "repeated-credit": "kindRepeatedCredit",
  "repeated-debit": "kindRepeatedDebit",
};

function lines(context: ViewContext, caption: MessageKey, list: MatchLine[], key: string): HTMLElement {
  const { t, language } = context;
  const amount = (x: number | null) => (x === null ? "—" : money(x, language));
  if (list.length === 0) {
    return h(
      "section",
      { "data-match": key },
      h("h4", {}, `${t(caption)} (0)`),
      h("p", {}, t("nothingListed")),
    );
  }
  return h(
    "section",
    { "data-match": key },
    table({
      caption: `${t(caption)} (${list.length})`,
      headers: [
        t("colKind"),
        t("colDate"),
        t("colReference"),
        t("colExpected"),
        t("colFound"),
        t("colDifference"),
      ],
      rows: list.map((l) => [
        KIND_WORDS[l.kind] ? t(KIND_WORDS[l.kind]!) : l.kind || t("kindOther"),
        l.date,
        l.reference,
        amount(l.expected),
        amount(l.found),
        l.expected !== null && l.found !== null && l.found !== l.expected
          ? money(l.found - l.expected, language)
          : "",
      ]),
      numeric: [3, 4, 5],
    }),
  );
}

function statementResult(context: ViewContext, s: StatementMatch, index: number): HTMLElement {
  const { t, language } = context;
  const account = /^\d{26}$/.test(s.account) ? nrb(s.account) : s.account;
  return h(
    "section",
    { class: "statement", "data-statement": index },
    h(
      "h3",
      {},
      t("statementHeading", {
        reference: s.reference,
        account,
        from: longDay(s.from, language),
        to: longDay(s.to, language),
      }),
    ),
    s.previousImport
      ? h(
          "p",
          { class: "notice", "data-match": "previous-import" },
          t("statementImportedBefore", {
            reference: s.reference,
            number: s.number,
            account,
            at: dateTime(s.previousImport.at, language),
            login: s.previousImport.login,
          }),
        )
      : [],
    h(
      "p",
      { "data-match": "summary" },
      t("statementSummary", {
        matched: s.matched.length,
        missing: s.missing.length,
        extra: s.extra.length,
        different: s.different.length,
      }),
    ),
    lines(context, "different", s.different, "different"),
    lines(context, "missing", s.missing, "missing"),
    lines(context, "extra", s.extra, "extra"),
    lines(context, "matched", s.matched, "matched"),
  );
}

/** The hub's words for each problem of an import (its English sentence only for one it does not know). */
const IMPORT_PROBLEMS: Record<string, MessageKey> = {
  no_fields: "importNoFields",
  field_before_20: "importFieldBefore20",
  not_balance: "importNotBalance",
  foreign_currency: "importForeignCurrency",
  balance_mismatch: "importBalanceMismatch",
  no_balances: "importNoBalances",
  not_entry: "importNotEntry",
  no_account: "importNoAccount",
  unknown_account: "importUnknownAccount",
};

function importProblem(context: ViewContext, e: { problem: string; value: string; message: string }): string {
  const key = Object.hasOwn(IMPORT_PROBLEMS, e.problem) ? IMPORT_PROBLEMS[e.problem] : undefined;
  return key ? context.t(key, { value: e.value }) : e.message;
}

function importErrors(context: ViewContext, error: ApiError): HTMLElement {
  const { t } = context;
  return table({
    caption: t("importErrors"),
    headers: [t("colLine"), t("colField"), t("colMessage")],
    rows: decodeImportErrors(error.errors).map((e) => [
      e.line ?? "",
      e.field ? `:${e.field}:` : "",
      importProblem(context, e),
    ]),
  });
}

function result(context: ViewContext, fileName: string, statements: StatementMatch[]): HTMLElement {
  const { t } = context;
  return h(
    "section",
    { "aria-labelledby": "match-heading", class: "match" },
    h("h2", { id: "match-heading", tabindex: -1 }, t("statementResult", { file: fileName })),
    statements.map((s, i) => statementResult(context, s, i)),
  );
}

export function statementsView(context: ViewContext): View {
  const { t } = context;
  const office = officeSelect(context, "statement-office");
  const file = h("input", {
    id: "statement-file",
    name: "statement",
    type: "file",
    accept: ".sta,.mt940,.940,.txt,text/plain",
    required: true,
  });
  const status = h("p", { role: "status", class: "status" });
  const error = h("div", { role: "alert", class: "error" });
  const results = h("div", { class: "results" });
  const submit = h("button", { type: "submit" }, t("statementUpload"));
  const form = h(
    "form",
    { class: "picker", "aria-labelledby": "statement-form-heading", novalidate: true },
    h("h2", { id: "statement-form-heading", class: "visually-hidden" }, t("statementForm")),
    h("div", { class: "field" }, h("label", { for: "statement-office" }, t("officeField")), office),
    h("div", { class: "field" }, h("label", { for: "statement-file" }, t("statementFile")), file),
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(error);
    const chosen = file.files?.[0];
    if (!chosen) {
      replace(error, h("p", {}, t("statementNoFile")));
      file.focus();
      return;
    }
    // Said here, in the page's language: the hub's refusals of these are the API's English.
    const unfit =
      chosen.size === 0
        ? t("statementEmpty", { file: chosen.name })
        : chosen.size > STATEMENT_BODY_LIMIT
          ? t("statementTooLarge", { file: chosen.name, limit: STATEMENT_BODY_LIMIT / (1024 * 1024) })
          : undefined;
    if (unfit) {
      replace(results);
      replace(error, h("p", {}, unfit));
      file.focus();
      return;
    }
    submit.disabled = true;
    status.textContent = t("loading");
    try {
      const body = await context.api.uploadStatement(office.value, chosen);
      const statements = decodeStatements(body);
      if (!statements) throw new Error("unexpected matching result");
      replace(results, result(context, chosen.name, statements));
      results.querySelector<HTMLElement>("#match-heading")?.focus();
    } catch (e) {
      replace(results);
      if (e instanceof ApiError && e.code === "STATEMENT_INVALID") {
        replace(error, h("p", {}, t("statementRefused", { file: chosen.name })), importErrors(context, e));
      } else {
        replace(error, h("p", {}, describeError(e, context)));
      }
    } finally {
      status.textContent = "";
      submit.disabled = false;
    }
  });
  const element = h(
    "div",
    { class: "view", "data-view": "statements" },
    h("h1", { tabindex: -1 }, t("statementsTitle")),
    h("p", {}, t("statementsIntro")),
    form,
    status,
    error,
    results,
  );
  return { element, stop() {} };
}
