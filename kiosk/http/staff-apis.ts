/**
 * The staff APIs of a running daemon: the service API (technicians, PIN login, on the loopback
 * listener) and the admin API (office staff, bearer token, on the management listener only, SPEC §3),
 * each over its backend (kiosk/service), with the audit log and the login lockout in the database.
 */
import { LoginThrottle } from "../auth/login-throttle.ts";
import { auditLog } from "../service/audit.ts";
import { adminBackend, type BackendContext, serviceBackend } from "../service/backends.ts";
import { staffOperationsBackend } from "../service/staff-operations.ts";
import { dbLockoutStore } from "../store/login-lockout.ts";
import { type RoutePlugin, route } from "./app.ts";
import { adminRoutes } from "./routes/admin.ts";
import { serviceRoutes } from "./routes/service.ts";

export interface StaffApis {
  service: RoutePlugin;
  admin: RoutePlugin;
}

export function staffApis(
  ctx: BackendContext,
  onLoginFailure: (reason: "wrong_pin" | "locked") => void,
): StaffApis {
  const audit = auditLog(ctx.db);
  const operations = staffOperationsBackend(ctx);
  const { pinHash, adminToken } = ctx.config.service ?? {};
  return {
    service: route(serviceRoutes, {
      prefix: "/api/service",
      backend: serviceBackend(ctx),
      operations,
      audit,
      throttle: new LoginThrottle({ store: dbLockoutStore(() => ctx.db) }),
      onLoginFailure,
      ...(pinHash ? { pinHash } : {}),
    }),
    admin: route(adminRoutes, {
      prefix: "/api/admin",
      backend: adminBackend(ctx),
      operations,
      audit,
      ...(adminToken ? { adminToken } : {}),
    }),
  };
}
