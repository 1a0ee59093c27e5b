/**
 * `oplatomat hub demo`: the hub on an embedded database (PGlite under DIR) with the demo office of
 * config/demo.yaml — its recipients and one kiosk whose token is written to DIR — and a staff login.
 */
import fs from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { ROOT } from "../contracts/install-layout.ts";
import { parseHubConfig } from "./config/load.ts";
import type { HubConfig } from "./config/types.ts";
import { hashPassword } from "./staff/password.ts";

const DEMO_KIOSK_CONFIG = path.join(ROOT, "config", "demo.yaml");
export const DEMO_LOGIN = "finanse";
export const DEMO_PASSWORD = "demo-hub-2026";
/** The demo kiosk's token for the hub (a demo secret, written to the data directory). */
/** The account the demo office's acquirer pays into and payouts leave from. */
const DEMO_PAYER_NRB = "10109010140000000146519999";
export const DEMO_DEVICE_TOKEN = "demo-kiosk-token-for-the-settlement-hub-0001";

interface DemoKiosk {
  office: { id: string; name: string; nip?: string };
  kiosk: { id: string };
  recipients: Record<string, { name: string; nrb: string }>;
}

/**
 * The hub's configuration for the demo office; `kind` is what the demo's device is: `desk` when the
 * demo runs the attended cash desk (`oplatomat demo --attended`), so the fleet view names it so.
 */
export async function demoHubConfig(dataDir: string, port: number, kind: "kiosk" | "desk" = "kiosk") {
  fs.mkdirSync(dataDir, { recursive: true });
  const kiosk = parseDocument(fs.readFileSync(DEMO_KIOSK_CONFIG, "utf8")).toJS() as DemoKiosk;
  const tokenFile = path.join(dataDir, "kiosk.token");
  fs.writeFileSync(tokenFile, `${DEMO_DEVICE_TOKEN}\n`, { mode: 0o600 });
  const recipients = Object.fromEntries(
    Object.entries(kiosk.recipients).map(([code, r]) => [code, { name: r.name, nrb: r.nrb }]),
  );
  const yaml = JSON.stringify({
    database: { embedded: path.join(dataDir, "pgdata") },
    server: { host: "127.0.0.1", port },
    offices: { [kiosk.office.id]: { name: kiosk.office.name, recipients } },
    devices: [{ id: kiosk.kiosk.id, office: kiosk.office.id, kind, tokenFile }],
    staff: [
      {
        login: DEMO_LOGIN,
        name: "Finanse (demo)",
        offices: "all",
        passwordHash: await hashPassword(DEMO_PASSWORD),
      },
    ],
    bank: { payerNrb: DEMO_PAYER_NRB, payerName: "Operator płatności (demo)" },
  });
  const config: HubConfig = parseHubConfig(yaml, dataDir);
  return { config, login: DEMO_LOGIN, password: DEMO_PASSWORD, deviceToken: DEMO_DEVICE_TOKEN };
}
