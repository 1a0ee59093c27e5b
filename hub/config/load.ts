/**
 * Reads and validates the hub's configuration (SPEC §9): YAML → JSON Schema (hub/config/schema.json) →
 * rules a schema cannot express (offices named by devices and staff exist, NRBs check, tokens long
 * enough) → secrets resolved from files or the environment. Every problem is named with its path.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { parseDocument } from "yaml";
import { shippedFile } from "../../contracts/install-layout.ts";
import { elixirFieldProblem } from "../../kiosk/domain/elixir.ts";
import { digitsTypeMessage } from "../../kiosk/domain/yaml-digits.ts";
import { nrbProblem, normalizeNrb } from "../../kiosk/domain/nrb.ts";
import { payoutTitle } from "../reports/payout-title.ts";
import { parsePasswordHash } from "../staff/password.ts";
import type { HubConfig, HubDevice, HubOffice, HubStaff } from "./types.ts";

export interface HubConfigProblem {
  path: string;
  message: string;
}

export class HubConfigError extends Error {
  override readonly name = "HubConfigError";
  constructor(
    readonly problems: HubConfigProblem[],
    source?: string,
  ) {
    super(
      `invalid hub configuration${source ? ` ${source}` : ""}:\n${problems.map((p) => `  ${p.path || "/"}: ${p.message}`).join("\n")}`,
    );
  }
}

const SCHEMA = JSON.parse(readFileSync(shippedFile("hub/config/schema.json"), "utf8")) as object;
let validator: (((data: unknown) => boolean) & { errors?: ErrorObject[] | null }) | undefined;

const MIN_TOKEN = 32;

interface RawDevice {
  id: string;
  office: string;
  kind: "kiosk" | "desk";
  tokenFile?: string;
  tokenEnv?: string;
  clientCertSha256?: string;
}
interface RawStaff extends Omit<HubStaff, "token"> {
  tokenFile?: string;
}
interface RawConfig extends Omit<HubConfig, "offices" | "devices" | "staff"> {
  offices: Record<string, Omit<HubOffice, "id">>;
  devices: RawDevice[];
  staff: RawStaff[];
}

export function loadHubConfig(file: string, env: NodeJS.ProcessEnv = process.env): HubConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new HubConfigError([{ path: "", message: `cannot read ${file}: ${String(error)}` }], file);
  }
  try {
    return parseHubConfig(text, path.dirname(path.resolve(file)), env);
  } catch (error) {
    if (error instanceof HubConfigError) throw new HubConfigError(error.problems, file);
    throw error;
  }
}

/**
 * The schema's refusals as the operator reads them: the allowed values of an enum, and of a `oneOf`
 * (the database's `url` or `embedded`, a device's credential) only the alternative the file meant —
 * the one it broke least — instead of every alternative's complaint.
 */
function schemaProblems(errors: ErrorObject[]): HubConfigProblem[] {
  const dropped = new Set<ErrorObject>();
  for (const failed of errors.filter((e) => e.keyword === "oneOf")) {
    const branches = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      const rest = e.schemaPath.startsWith(`${failed.schemaPath}/`)
        ? e.schemaPath.slice(failed.schemaPath.length + 1)
        : undefined;
      if (rest === undefined) continue;
      const branch = rest.split("/")[0] ?? "";
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const sizes = [...branches.values()].map((b) => b.length).sort((a, b) => a - b);
    if (sizes.length < 2 || sizes[0] === sizes[1]) continue;
    dropped.add(failed);
    for (const b of branches.values()) if (b.length > (sizes[0] ?? 0)) for (const e of b) dropped.add(e);
  }
  return errors
    .filter((e) => !dropped.has(e))
    .map((e) => ({ path: e.instancePath, message: schemaMessage(e) }));
}

function schemaMessage(e: ErrorObject): string {
  const params = e.params as {
    additionalProperty?: string;
    allowedValues?: unknown[];
    allowedValue?: unknown;
  };
  if (e.keyword === "additionalProperties") return `unknown property ${String(params.additionalProperty)}`;
  if (e.keyword === "enum") return `must be one of ${(params.allowedValues ?? []).map(String).join(", ")}`;
  if (e.keyword === "const") return `must be ${JSON.stringify(params.allowedValue)}`;
  if (e.keyword === "type") return digitsTypeMessage(e.instancePath, e.message ?? e.keyword, e.data);
  return e.message ?? e.keyword;
}

/**
 * Whether the payout titles of `office` fit (hub/reports/payouts.ts: the day, the office with its name,
 * the recipient codes of one account): checked for each account's codes as configured.
 */
function payoutTitleProblem(office: HubOffice): string | undefined {
  const codesByAccount = new Map<string, string[]>();
  for (const [code, r] of Object.entries(office.recipients))
    codesByAccount.set(r.nrb, [...(codesByAccount.get(r.nrb) ?? []), code]);
  for (const codes of codesByAccount.values()) {
    const problem = elixirFieldProblem(payoutTitle("2026-12-31", office.id, office.name, codes));
    if (problem)
      return `the payout title for ${codes.join("+")} (the office's id, this name and the codes) is ${problem}`;
  }
  return undefined;
}

export function parseHubConfig(
  text: string,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
): HubConfig {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0)
    throw new HubConfigError(doc.errors.map((e) => ({ path: "", message: `YAML: ${e.message}` })));
  const data: unknown = doc.toJS();
  validator ??= new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(SCHEMA);
  if (!validator(data)) {
    throw new HubConfigError(schemaProblems(validator.errors ?? []));
  }
  const raw = data as RawConfig;
  const problems: HubConfigProblem[] = [];
  const at = (p: string) => (message: string) => problems.push({ path: p, message });
  const file = (name: string) => path.resolve(baseDir, name);

  const offices: Record<string, HubOffice> = {};
  for (const [id, office] of Object.entries(raw.offices)) {
    const recipients: HubOffice["recipients"] = {};
    for (const [code, r] of Object.entries(office.recipients)) {
      const problem = nrbProblem(r.nrb);
      if (problem) at(`/offices/${id}/recipients/${code}/nrb`)(problem);
      recipients[code] = { name: r.name, nrb: normalizeNrb(r.nrb) };
      const name = elixirFieldProblem([r.name]);
      if (name) at(`/offices/${id}/recipients/${code}/name`)(name);
    }
    offices[id] = { id, name: office.name, ...(office.nip ? { nip: office.nip } : {}), recipients };
    const title = payoutTitleProblem(offices[id]);
    if (title) at(`/offices/${id}/name`)(title);
  }
  const bankProblem = nrbProblem(raw.bank.payerNrb);
  if (bankProblem) at("/bank/payerNrb")(bankProblem);
  const payerName = elixirFieldProblem([raw.bank.payerName]);
  if (payerName) at("/bank/payerName")(payerName);

  const devices: HubDevice[] = [];
  const seen = new Set<string>();
  raw.devices.forEach((d, i) => {
    const p = `/devices/${i}`;
    if (!offices[d.office]) at(`${p}/office`)(`no office ${d.office} in offices`);
    if (seen.has(`${d.office}/${d.id}`)) at(`${p}/id`)(`device ${d.id} of ${d.office} is listed twice`);
    seen.add(`${d.office}/${d.id}`);
    const device: HubDevice = { id: d.id, office: d.office, kind: d.kind };
    const token = readSecret(d, file, env, at(p));
    if (token !== undefined) device.token = token;
    if (d.clientCertSha256) device.clientCertSha256 = d.clientCertSha256.replaceAll(":", "").toLowerCase();
    devices.push(device);
  });
  const tokens = new Set<string>();
  devices.forEach((d, i) => {
    if (d.token && tokens.has(d.token)) at(`/devices/${i}`)("two devices share one token");
    if (d.token) tokens.add(d.token);
  });

  const staff: HubStaff[] = [];
  const logins = new Set<string>();
  raw.staff.forEach((s, i) => {
    const p = `/staff/${i}`;
    if (logins.has(s.login)) at(`${p}/login`)(`login ${s.login} is listed twice`);
    logins.add(s.login);
    if (s.offices !== "all")
      for (const o of s.offices) if (!offices[o]) at(`${p}/offices`)(`no office ${o} in offices`);
    if (s.passwordHash) {
      try {
        parsePasswordHash(s.passwordHash);
      } catch (error) {
        at(`${p}/passwordHash`)((error as Error).message);
      }
    }
    const member: HubStaff = { login: s.login, name: s.name, offices: s.offices };
    if (s.passwordHash) member.passwordHash = s.passwordHash;
    const token = s.tokenFile ? readSecret({ tokenFile: s.tokenFile }, file, env, at(p)) : undefined;
    if (token !== undefined) member.token = token;
    if (!s.passwordHash && !s.tokenFile) at(p)("a staff member needs a passwordHash or a tokenFile");
    staff.push(member);
  });

  // A bearer token names one caller: shared by two logins it would read as the last of them (one
  // office's system reading every office), shared with a device it would open the staff API to it.
  const staffTokens = new Set<string>();
  staff.forEach((s, i) => {
    if (!s.token) return;
    if (staffTokens.has(s.token)) at(`/staff/${i}`)("two staff logins share one token");
    else if (tokens.has(s.token)) at(`/staff/${i}`)("a staff login and a device share one token");
    staffTokens.add(s.token);
  });

  if (raw.server.tls && raw.server.tls.ca === undefined && devices.some((d) => d.clientCertSha256))
    at("/server/tls/ca")("devices authenticate by client certificate: name the CA that signs them");
  if (!raw.server.tls && devices.some((d) => d.clientCertSha256))
    at("/server/tls")("devices authenticate by client certificate: the server needs tls");
  if (problems.length > 0) throw new HubConfigError(problems);

  const tls = raw.server.tls
    ? {
        cert: file(raw.server.tls.cert),
        key: file(raw.server.tls.key),
        ...(raw.server.tls.ca ? { ca: file(raw.server.tls.ca) } : {}),
      }
    : undefined;
  return {
    database: "url" in raw.database ? raw.database : { embedded: file(raw.database.embedded) },
    server: { host: raw.server.host, port: raw.server.port, ...(tls ? { tls } : {}) },
    offices,
    devices,
    staff,
    bank: { payerNrb: normalizeNrb(raw.bank.payerNrb), payerName: raw.bank.payerName },
  };
}

function readSecret(
  source: { tokenFile?: string; tokenEnv?: string },
  file: (name: string) => string,
  env: NodeJS.ProcessEnv,
  problem: (message: string) => void,
): string | undefined {
  let token: string | undefined;
  if (source.tokenFile) {
    try {
      token = readFileSync(file(source.tokenFile), "utf8").trim();
    } catch {
      problem(`cannot read tokenFile ${source.tokenFile}`);
      return undefined;
    }
  } else if (source.tokenEnv) {
    token = env[source.tokenEnv]?.trim();
    if (!token) {
      problem(`environment variable ${source.tokenEnv} is not set`);
      return undefined;
    }
  } else return undefined;
  if (token.length < MIN_TOKEN) problem(`a bearer token is at least ${MIN_TOKEN} characters`);
  return token;
}
