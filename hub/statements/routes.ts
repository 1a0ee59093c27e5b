/**
 * `POST /api/offices/{office}/statements`: an MT940 file (the request body, `text/plain` or
 * `application/octet-stream`; UTF-8, or CP1250 when it is not UTF-8) matched against what the hub
 * expects. A file that does not parse, or is not in PLN, answers 422 `STATEMENT_INVALID` with every
 * import error listed, and nothing is stored; a matched import is written to the audit trail, and a
 * statement imported before (same `:20:`, `:28C:`, account, period and balances) says when and by whom
 * (`previousImport`), still matched.
 */
import type { FastifyInstance } from "fastify";
import iconv from "iconv-lite";
import { STATEMENT_BODY_LIMIT } from "../../contracts/statement-upload.ts";
import type { HubConfig } from "../config/types.ts";
import { problem } from "../http/problem.ts";
import { payoutsOf } from "../reports/payouts.ts";
import { officeGuard, staffAuth } from "../staff/access.ts";
import type { StaffDeps } from "../staff/report-routes.ts";
import type { SqlClient } from "../store/db.ts";
import { audit } from "../store/ingest-store.ts";
import { dailyTotals } from "../store/report-store.ts";
import { earlierStatementImport } from "../store/staff-store.ts";
import {
  acquirerCreditDue,
  type Expected,
  expectationWindow,
  matchStatement,
  payoutDue,
  statementPeriod,
} from "./match.ts";
import { parseMt940, type Statement } from "./mt940.ts";

function decode(body: Buffer): string {
  const utf8 = body.toString("utf8");
  return utf8.includes("\uFFFD") ? iconv.decode(body, "cp1250") : utf8;
}

async function expectations(
  db: SqlClient,
  config: HubConfig,
  office: string,
  s: Statement,
): Promise<Expected[]> {
  const period = statementPeriod(s);
  const w = expectationWindow(period.from, period.to);
  const out: Expected[] = [];
  const days = (await dailyTotals(db, { office, from: w.from, to: w.to })).filter((d) => d.total > 0);
  for (const d of days)
    out.push({
      kind: "acquirer_credit",
      day: d.day,
      amount: d.total,
      ...acquirerCreditDue(d.day),
    });
  // Only days with takings have payouts: a statement of years (a wrong file, or an archive) costs
  // a query per business day booked, not per calendar day (it was 7 s for 2000–2026 with 3 days booked).
  for (const { day } of days) {
    const p = await payoutsOf(db, config, office, day);
    for (const t of p.transfers)
      out.push({
        kind: "payout",
        day,
        amount: t.amount,
        reference: t.reference,
        recipient: t.recipient,
        nrb: t.nrb,
        ...payoutDue(p.executionDate),
      });
  }
  return out;
}

export async function statementRoutes(app: FastifyInstance, deps: StaffDeps): Promise<void> {
  const { config, db } = deps;
  app.post(
    "/api/offices/:office/statements",
    { preHandler: staffAuth(config, db), bodyLimit: STATEMENT_BODY_LIMIT },
    async (request, reply) => {
      const { office } = request.params as { office: string };
      if (!officeGuard(config, request, reply, office)) return reply;
      if (!Buffer.isBuffer(request.body) || request.body.length === 0)
        return problem(reply, "INVALID_REQUEST", { title: "Send the MT940 file as the body (text/plain)" });
      // U+0000 as U+FFFD: no bank writes one, PostgreSQL cannot hold one (the statement's reference is
      // looked up in the audit and kept there), and a file uploaded by mistake may be full of them.
      const parsed = parseMt940(decode(request.body).replaceAll("\u0000", "\ufffd"));
      const refuse = (errors: unknown[]) =>
        problem(reply, "STATEMENT_INVALID", { title: "The statement cannot be imported", errors: errors });
      if (!parsed.ok) return refuse(parsed.errors);
      const recipients = new Set(Object.values(config.offices[office]!.recipients).map((r) => r.nrb));
      const errors = parsed.statements
        .filter((s) => s.account !== config.bank.payerNrb && !recipients.has(s.account))
        .map((s) => ({
          line: 0,
          field: "25",
          message: `account ${s.account} is neither the payout account nor a recipient of ${office}`,
          problem: "unknown_account",
          value: s.account ?? "",
        }));
      if (errors.length > 0) return refuse(errors);
      const results = [];
      for (const s of parsed.statements) {
        const role = s.account === config.bank.payerNrb ? "payer" : "recipient";
        const all = await expectations(db, config, office, s);
        const mine = role === "payer" ? all : all.filter((x) => x.kind === "payout" && x.nrb === s.account);
        const result = matchStatement(s, role, mine);
        // Importing a statement again changes nothing (matching stores nothing), so it is not refused;
        // but the clerk is told, lest its lines be taken for news.
        const earlier = await earlierStatementImport(db, office, result.statement);
        results.push({
          ...result,
          previousImport: earlier
            ? { at: earlier.at.toISOString(), login: earlier.actor.replace(/^staff:/, "") }
            : null,
        });
      }
      await audit(db, `staff:${request.staff!.login}`, "statement_import", office, {
        statements: results.map((r) => ({
          reference: r.statement.reference,
          number: r.statement.number,
          account: r.statement.account,
          from: r.statement.from,
          to: r.statement.to,
          opening: r.statement.opening,
          closing: r.statement.closing,
          matched: r.matched.length,
          different: r.different.length,
          missing: r.missing.length,
          extra: r.extra.length,
        })),
      });
      return { office, statements: results };
    },
  );
}
