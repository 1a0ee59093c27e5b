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
export const DEMO_DEVICE_TOKEN = "demo-kiosk-token-for-the-settlement-hub-0001";

interface DemoKiosk {
  office: { id: string; name: string; nip?: string };
  kiosk: { id: string };
  recipients: Record<string, { name: string; nrb: string }>;
  handlingFee: { recipient: string };
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
  const payer = kiosk.recipients[kiosk.handlingFee.recipient];
  if (!payer)
    throw new Error(`config/demo.yaml: no recipient ${kiosk.handlingFee.recipient} for the handling fee`);
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
    // Payouts leave from the account the kiosk's own Elixir-O file orders from (the handling fee's
    // recipient), so the kiosk's and the hub's payout files of a day list the same transfers; with
    // another account the hub's file had one more, the fee to the operator (outside-in, 2026-12-07).
    bank: { payerNrb: payer.nrb, payerName: payer.name },
  });
  const config: HubConfig = parseHubConfig(yaml, dataDir);
  return { config, login: DEMO_LOGIN, password: DEMO_PASSWORD, deviceToken: DEMO_DEVICE_TOKEN };
}
