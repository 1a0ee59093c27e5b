/**
 * The hub's log as `oplatomat hub start` writes it to the journal, beside the kiosks' lines: JSON with
 * ISO times and its own `service` (so an operator can tell the two daemons apart), one line per request
 * carrying the request's id, and nothing a staff login or a device's message must keep out of a log —
 * no password (in a body, a query, or a body that is not JSON), no card number (in a free-text field,
 * a path, an Idempotency-Key), no bearer token. What the hub wrote is kept under test-results/logs, so
 * the suite's log scan (scripts/scan-logs.ts) reads it too.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { scanText } from "../../../scripts/scan-logs.ts";
import {
  freePort,
  type HubHarness,
  post,
  startHubChild,
  startHubHarness,
  TOKENS,
  transaction,
} from "../../helpers/hub-harness.ts";
import { testLogFile } from "../../helpers/test-logs.ts";

const PAN = "4111111111111111";
const WRONG_PASSWORDS = ["Zle-Haslo-w-ciele-7f3a", "Zle-Haslo-w-adresie-9c1d", "Zle-Haslo-nie-JSON-2b8e"];

let h: HubHarness;
let child: ChildProcess | undefined;
let base: string;
let output = "";
const logFile = testLogFile("hub-start");

beforeAll(async () => {
  h = await startHubHarness({ name: "hub_log" });
  const port = await freePort();
  child = await startHubChild(h.configFile, port, (text) => {
    output += text;
    fs.appendFileSync(logFile, text);
  });
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  await h?.stop();
});

type Line = Record<string, unknown>;

function jsonLines(): Line[] {
  return output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Line);
}

/** The lines of one request (by the `X-Request-Id` it was sent with), once its request line is written. */
async function linesOf(requestId: string): Promise<Line[]> {
  await vi.waitFor(
    () => expect(jsonLines().some((l) => l["reqId"] === requestId && l["msg"] === "request")).toBe(true),
    { timeout: 10_000 },
  );
  return jsonLines().filter((l) => l["reqId"] === requestId);
}

describe("the hub's log (oplatomat hub start)", () => {
  it("writes JSON lines with ISO times and the hub's service name, one line per request with its id", async () => {
    const res = await fetch(`${base}/health`, { headers: { "x-request-id": "hub-log-health-1" } });
    expect(res.status).toBe(200);
    const lines = await linesOf("hub-log-health-1");
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        service: "oplatomat-hub",
        msg: "request",
        method: "GET",
        url: "/health",
        status: 200,
        ms: expect.any(Number),
      }),
    ]);
    // Every line, the start's included, in the one style an operator filters by `service`.
    for (const line of jsonLines()) {
      expect(line).toMatchObject({ service: "oplatomat-hub" });
      expect(line["time"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(line).not.toHaveProperty("pid");
      expect(line).not.toHaveProperty("hostname");
    }
    // A request without an id of its own gets one the hub makes up, 16 hex characters.
    await fetch(`${base}/health`);
    await vi.waitFor(() => expect(jsonLines().filter((l) => l["url"] === "/health")).toHaveLength(2));
    expect(jsonLines().filter((l) => l["url"] === "/health")[1]?.["reqId"]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("keeps a wrong staff password out of the log: in a body, in a query, in a body that is not JSON", async () => {
    const [inBody, inQuery, notJson] = WRONG_PASSWORDS as [string, string, string];
    const wrong = await post(
      `${base}/api/login`,
      { login: "anna", password: inBody },
      {
        key: null,
        headers: { "x-request-id": "hub-log-login-1" },
      },
    );
    expect(wrong.status).toBe(401);
    // A form sent the way a careless script sends it: the password in the address.
    const query = await post(`${base}/api/login?login=anna&password=${inQuery}`, undefined, {
      key: null,
      raw: "",
      headers: { "x-request-id": "hub-log-login-2" },
    });
    expect(query.status).toBeGreaterThanOrEqual(400);
    const broken = await post(`${base}/api/login`, undefined, {
      key: null,
      raw: `{"login":"anna","password":"${notJson}"`,
      headers: { "x-request-id": "hub-log-login-3" },
    });
    expect(broken.status).toBe(400);
    for (const id of ["hub-log-login-1", "hub-log-login-2", "hub-log-login-3"]) {
      const lines = await linesOf(id);
      expect(lines.find((l) => l["msg"] === "request")).toMatchObject({ url: "/api/login" });
    }
    for (const password of WRONG_PASSWORDS) expect(output).not.toContain(password);
  });

  it("masks a card number a device's message carries in a free-text field, its path or its key", async () => {
    // Another device's id that is a card number: 403, and the refusal's line names what the body said.
    const foreign = await post(`${base}/transactions`, transaction({ kiosk: PAN }), {
      token: TOKENS.K01,
      key: "4111-1111-1111-1111",
      headers: { "x-request-id": "hub-log-pan-1" },
    });
    expect(foreign.status).toBe(403);
    // A recipient that is a card number: 422, named in the refusal's errors.
    const tx = transaction();
    tx.splits[0]!.recipient = PAN;
    const recipient = await post(`${base}/transactions`, tx, {
      token: TOKENS.K01,
      headers: { "x-request-id": "hub-log-pan-2" },
    });
    expect(recipient.status).toBe(422);
    // A case reference holding a card number (refused) and a reversal whose path is one.
    const inCase = await post(`${base}/transactions`, transaction({ case: `KOM ${PAN}` }), {
      token: TOKENS.K01,
      headers: { "x-request-id": "hub-log-pan-3" },
    });
    expect(inCase.status).toBe(422);
    const reversal = await post(
      `${base}/transactions/${PAN}/reversal`,
      { office: "PZ1465", kiosk: "K01" },
      { token: TOKENS.K01, headers: { "x-request-id": "hub-log-pan-4" } },
    );
    expect(reversal.status).toBe(404);

    const refusals = [...(await linesOf("hub-log-pan-1")), ...(await linesOf("hub-log-pan-2"))].filter(
      (l) => l["msg"] === "ingest refused",
    );
    // Logged, masked: the operator still sees which device sent what, without the card number.
    expect(refusals).toHaveLength(2);
    expect(JSON.stringify(refusals)).toContain("411111******1111");
    await linesOf("hub-log-pan-3");
    expect((await linesOf("hub-log-pan-4")).find((l) => l["msg"] === "request")).toMatchObject({
      url: "/transactions/411111******1111/reversal",
    });
    expect(output).not.toContain(PAN);
    expect(scanText(output).filter((f) => f.kind === "card_number")).toEqual([]);
  });

  it("keeps bearer tokens out of the log, a device's unknown one and a staff system's", async () => {
    const unknown = "not-a-device-token-of-this-hub-0123456789";
    const refused = await post(`${base}/transactions`, transaction(), {
      token: unknown,
      headers: { "x-request-id": "hub-log-token-1" },
    });
    expect(refused.status).toBe(401);
    const report = await fetch(`${base}/api/offices/PZ1465/settlement?date=2026-11-25&format=json`, {
      headers: { authorization: `Bearer ${TOKENS.staffSystem}`, "x-request-id": "hub-log-token-2" },
    });
    expect(report.status).toBe(200);
    expect((await linesOf("hub-log-token-1")).map((l) => l["msg"])).toEqual([
      "ingest refused: unknown device",
      "request",
    ]);
    await linesOf("hub-log-token-2");
    expect(output).not.toContain(unknown);
    expect(output).not.toContain(TOKENS.staffSystem);
    expect(scanText(output).filter((f) => f.kind === "token")).toEqual([]);
  });
});
