/**
 * What whoever watches the fleet from the hub sees of devices that go wrong. A device's message the
 * hub refuses (SPEC §9: 403 for another device's body, 422 for splits or an account the hub does not
 * hold) is parked on the device, where only its own operator reads the answer: the hub's log names the
 * office, the device, the message's key and the reason of each refusal. A configured device that never
 * reached the hub (a wrong token or address) has no last-contact series: the metrics name every
 * configured device, so an alert can see the one missing.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHub, type Hub } from "../../../hub/main.ts";
import { createHubLogger } from "../../../hub/ops/logger.ts";
import {
  FOREIGN_NRB,
  type HubHarness,
  post,
  startHubHarness,
  TOKENS,
  transaction,
} from "../../helpers/hub-harness.ts";
import { testLogFile } from "../../helpers/test-logs.ts";

let h: HubHarness;
let hub: Hub;
let url: string;
const logFile = testLogFile("hub-fleet-watch");

beforeAll(async () => {
  h = await startHubHarness({ name: "refusal_log" });
  fs.rmSync(logFile, { force: true });
  hub = await createHub(h.config, { logger: createHubLogger({ level: "info", destination: logFile }) });
  url = await hub.listen(0);
});

/** The hub's log so far: it writes each line before it answers the request that caused it. */
const lines = (): Array<Record<string, unknown>> =>
  fs
    .readFileSync(logFile, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

afterAll(async () => {
  await hub?.close();
  await h?.stop();
});

const refusals = () => lines().filter((l) => String(l["msg"]).startsWith("ingest refused"));

describe("the hub's log of refused device messages", () => {
  it("names the device, the message's key and the reason of a 422 and a 403", async () => {
    const tx = transaction();
    tx.splits[1]!.nrb = FOREIGN_NRB;
    const unknownAccount = await post(`${url}/transactions`, tx, { token: TOKENS.K01, key: "tx-refused-1" });
    expect(unknownAccount.status).toBe(422);
    const foreign = await post(`${url}/transactions`, transaction({ kiosk: "K02" }), {
      token: TOKENS.K01,
      key: "tx-refused-2",
    });
    expect(foreign.status).toBe(403);
    expect(refusals()).toEqual([
      expect.objectContaining({
        level: 40,
        office: "PZ1465",
        device: "K01",
        kind: "transaction",
        idempotencyKey: "tx-refused-1",
        status: 422,
        code: "UNKNOWN_ACCOUNT",
        errors: [expect.objectContaining({ path: "/splits/1/nrb" })],
      }),
      expect.objectContaining({
        office: "PZ1465",
        device: "K01",
        idempotencyKey: "tx-refused-2",
        status: 403,
        code: "FORBIDDEN",
        detail: expect.stringContaining("PZ1465/K02"),
      }),
    ]);
  });

  it("logs a sender it does not know, without a device", async () => {
    const before = refusals().length;
    expect(
      (await post(`${url}/transactions`, transaction(), { token: "no-such-device-token-0123456789" })).status,
    ).toBe(401);
    expect(refusals().slice(before)).toEqual([
      expect.objectContaining({ level: 40, url: "/transactions", msg: "ingest refused: unknown device" }),
    ]);
  });

  it("exports every configured device, so one that never made contact shows by its missing last_seen", async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    for (const [office, device, kind] of [
      ["PZ1465", "K01", "kiosk"],
      ["PZ1465", "K02", "kiosk"],
      ["PZ1465", "D01", "desk"],
      ["WA0001", "W01", "kiosk"],
    ])
      expect(metrics).toContain(
        `oplatomat_hub_device_configured{office="${office}",device="${device}",kind="${kind}"} 1`,
      );
    expect(metrics).toMatch(/oplatomat_hub_device_last_seen_seconds\{office="PZ1465",device="K01"\} \d{10}/);
    expect(metrics).not.toContain('oplatomat_hub_device_last_seen_seconds{office="WA0001",device="W01"}');
  });

  it("logs nothing of the kind for a message it books", async () => {
    const before = refusals().length;
    expect((await post(`${url}/transactions`, transaction(), { token: TOKENS.K01 })).status).toBe(201);
    expect(refusals().length).toBe(before);
  });
});
