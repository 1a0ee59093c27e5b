/**
 * The staff API (SPEC §9): the settlement report, the fleet, the office list. Every route needs a
 * staff session or token and checks the office; every download is written to the audit trail.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isRealDay } from "../../kiosk/domain/time.ts";
import type { HubConfig } from "../config/types.ts";
import { problem } from "../http/problem.ts";
import { fleetView } from "../ops/fleet.ts";
import { settlementCsv, settlementHeader, settlementJson } from "../reports/settlement.ts";
import type { HubDb } from "../store/db.ts";
import { audit } from "../store/ingest-store.ts";
import type { Range } from "../store/report-store.ts";
import { auditTrail } from "../store/staff-store.ts";
import { officeGuard, staffAuth, visibleOffices } from "./access.ts";

export interface StaffDeps {
  config: HubConfig;
  db: HubDb;
}

/** The longest range one report may cover (a month and a bit). */
const MAX_RANGE_DAYS = 31;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `?date=` for one day, or `?from=&to=` for a range; else a 400 problem and undefined. */
export function rangeOf(
  office: string,
  query: Record<string, string | undefined>,
  reply: FastifyReply,
): Range | undefined {
  const from = query["from"] ?? query["date"];
  const to = query["to"] ?? query["date"];
  const day = (d: string | undefined): d is string => d !== undefined && DAY.test(d) && isRealDay(d);
  if (!day(from) || !day(to) || from > to) {
    problem(reply, "INVALID_REQUEST", { title: "Give date=YYYY-MM-DD (or from= and to=)" });
    return undefined;
  }
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days >= MAX_RANGE_DAYS) {
    problem(reply, "INVALID_REQUEST", { title: `A report covers at most ${MAX_RANGE_DAYS} days` });
    return undefined;
  }
  return { office, from, to };
}

export function downloadName(q: Range, what: string, ext: string): string {
  const span = q.from === q.to ? q.from : `${q.from}_${q.to}`;
  return `${what}-${q.office}-${span}.${ext}`;
}

export async function auditDownload(
  db: HubDb,
  request: FastifyRequest,
  q: Range,
  what: string,
  format: string,
) {
  await audit(db, `staff:${request.staff!.login}`, "download", q.office, {
    what,
    format,
    from: q.from,
    to: q.to,
  });
}

export async function reportRoutes(app: FastifyInstance, deps: StaffDeps): Promise<void> {
  const { config, db } = deps;
  const auth = staffAuth(config, db);

  app.get("/api/offices", { preHandler: auth }, async (request) => ({
    offices: visibleOffices(config, request.staff!).map((id) => ({
      id,
      name: config.offices[id]!.name,
      devices: config.devices.filter((d) => d.office === id).map((d) => ({ id: d.id, kind: d.kind })),
      recipients: Object.entries(config.offices[id]!.recipients).map(([code, r]) => ({ code, ...r })),
    })),
  }));

  app.get("/api/offices/:office/settlement", { preHandler: auth }, async (request, reply) => {
    const { office } = request.params as { office: string };
    if (!officeGuard(config, request, reply, office)) return reply;
    const query = request.query as Record<string, string | undefined>;
    const format = query["format"] ?? "json";
    if (!["json", "csv", "pdf"].includes(format))
      return problem(reply, "INVALID_REQUEST", { title: "format is json, csv or pdf" });
    const q = rangeOf(office, query, reply);
    if (!q) return reply;
    await auditDownload(db, request, q, "settlement", format);
    if (format === "csv")
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${downloadName(q, "settlement", "csv")}"`)
        .send(settlementCsv(db, q));
    const header = await settlementHeader(db, config, q);
    if (format === "pdf") {
      // Loaded at the first PDF, not at every start: with PGlite (hub/store/db.ts) it was 0.4 s of the
      // 1.35 s of CPU the hub's modules took to load (2026-12-07), which a restarted hub owes its kiosks.
      const { settlementPdf } = await import("../reports/settlement-pdf.ts");
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${downloadName(q, "settlement", "pdf")}"`)
        .send(settlementPdf(db, config, header, q));
    }
    return reply.type("application/json; charset=utf-8").send(settlementJson(db, header, q));
  });

  app.get("/api/fleet", { preHandler: auth }, async (request) =>
    fleetView(db, config, visibleOffices(config, request.staff!)),
  );

  app.get("/api/offices/:office/audit", { preHandler: auth }, async (request, reply) => {
    const { office } = request.params as { office: string };
    if (!officeGuard(config, request, reply, office)) return reply;
    const rows = await auditTrail(db, office, 200);
    return { entries: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
  });
}
