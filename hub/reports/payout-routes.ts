/** `GET /api/offices/{office}/payouts?date=&format=elixir|json[&encoding=utf8|cp1250]`, audited. */
import type { FastifyInstance } from "fastify";
import iconv from "iconv-lite";
import { ElixirError } from "../../kiosk/domain/elixir.ts";
import { problem } from "../http/problem.ts";
import { officeGuard, staffAuth } from "../staff/access.ts";
import { auditDownload, downloadName, rangeOf, type StaffDeps } from "../staff/report-routes.ts";
import { payoutsElixir, payoutsOf } from "./payouts.ts";

export async function payoutRoutes(app: FastifyInstance, deps: StaffDeps): Promise<void> {
  const { config, db } = deps;
  app.get("/api/offices/:office/payouts", { preHandler: staffAuth(config, db) }, async (request, reply) => {
    const { office } = request.params as { office: string };
    if (!officeGuard(config, request, reply, office)) return reply;
    const query = request.query as Record<string, string | undefined>;
    const format = query["format"] ?? "json";
    const encoding = query["encoding"] ?? "utf8";
    if (!["json", "elixir"].includes(format))
      return problem(reply, "INVALID_REQUEST", { title: "format is elixir or json" });
    if (!["utf8", "cp1250"].includes(encoding))
      return problem(reply, "INVALID_REQUEST", { title: "encoding is utf8 or cp1250" });
    if (query["from"] || query["to"])
      return problem(reply, "INVALID_REQUEST", { title: "payouts are per day: give date=" });
    const q = rangeOf(office, query, reply);
    if (!q) return reply;
    const payouts = await payoutsOf(db, config, office, q.from);
    await auditDownload(db, request, q, "payouts", format);
    if (format === "json") return payouts;
    let text: string;
    try {
      text = payoutsElixir(payouts);
    } catch (e) {
      // A name or title too long for the file's four sub-lines: refused, never cut short.
      if (e instanceof ElixirError) return problem(reply, "CONFLICT", { title: e.message });
      throw e;
    }
    return reply
      .type(`text/plain; charset=${encoding === "utf8" ? "utf-8" : "windows-1250"}`)
      .header("content-disposition", `attachment; filename="${downloadName(q, "payouts", "pli")}"`)
      .send(encoding === "utf8" ? Buffer.from(text, "utf8") : iconv.encode(text, "cp1250"));
  });
}
