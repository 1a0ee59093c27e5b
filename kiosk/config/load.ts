/**
 * Reads and validates the kiosk configuration (SPEC §3): YAML → JSON Schema (config/schema.json) →
 * rules a schema cannot express → defaults → secrets resolved from files or the environment.
 * Every broken rule of a stage is collected, so one run of `oplatomat config check` names them all;
 * the semantic rules run once the document has the schema's shape.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ErrorObject } from "ajv";
import type * as Yaml from "yaml";
import { parsePinHash } from "../auth/pin-hash.ts";
import { elixirFieldProblem } from "../domain/elixir.ts";
import { isValidNip } from "../domain/nip.ts";
import { nrbProblem } from "../domain/nrb.ts";
import { isPrivateKeyPem } from "../domain/signature.ts";
import { canonicalTimeZone, isValidTimeZone } from "../domain/time.ts";
import { digitsTypeMessage } from "../domain/yaml-digits.ts";
import { listenHost, type RawServer, readManagementTls, serverProblems } from "./listeners.ts";
import type { ParsedYamlCache } from "./parsed-yaml-cache.ts";
import { type ConfigProblem, ConfigError } from "./problem.ts";
import { configSchemaValidator } from "./schema-validator.ts";
import {
  type CatalogItem,
  DEFAULT_SCREEN_LAYOUT,
  type IntegrationTarget,
  type KioskConfig,
  type Language,
  type TrustedKey,
} from "./types.ts";

export { type ConfigProblem, ConfigError };

export const DEFAULT_STORAGE_PATH = "var/oplatomat.db";
/** Names that would carry a secret inline; the schema refuses them, this says what to write instead. */
const INLINE_SECRETS: Record<string, string> = {
  token: "secrets are never inline: use tokenFile or tokenEnv",
  adminToken: "secrets are never inline: use adminTokenFile or adminTokenEnv",
  signingKey: "private keys are never inline: use signingKeyFile",
  privateKey: "private keys are never inline: name a file",
  pin: "the PIN is never stored: write its scrypt hash as pinHash",
};
/** The same for mutual TLS material, under a `tls` object only. */
const INLINE_TLS: Record<string, string> = {
  cert: "TLS material is never inline: use certFile",
  key: "TLS material is never inline: use keyFile",
  ca: "TLS material is never inline: use caFile",
};

/**
 * Reads, validates and resolves a configuration file; throws `ConfigError` naming every problem.
 * With `cache`, the YAML text's data comes from there when the text is unchanged (the daemon's start).
 */
export function loadConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  cache?: ParsedYamlCache,
): KioskConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError([{ path: "", message: `cannot read ${file}: ${errorText(error)}` }], file);
  }
  try {
    return validateConfigText(text, path.dirname(path.resolve(file)), env, cache);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.problems, file);
    throw error;
  }
}

/** Validates YAML text; relative file references resolve against `baseDir`. */
export function validateConfigText(
  text: string,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
  cache?: ParsedYamlCache,
): KioskConfig {
  const kept = cache?.read(text);
  const data = kept ?? parseYaml(text);
  // What the text says, before the schema's defaults and the rules touch the document.
  const parsed = kept === undefined && cache !== undefined ? structuredClone(data) : undefined;
  const validate = configSchemaValidator();
  if (!validate(data)) {
    throw new ConfigError(schemaProblems(validate.errors ?? []));
  }
  // The schema held, so the document has the YAML shape below.
  const raw = data as RawConfig;
  // Part of the shape, as the schema's own refusals: nothing is read from a TLS entry that broke it.
  const tlsProblems = integrationTlsProblems(raw);
  if (tlsProblems.length > 0) throw new ConfigError(tlsProblems);
  const problems = semanticProblems(raw);
  const config = resolve(raw, baseDir, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  // Kept only once the whole configuration holds: a start refused for a broken file leaves the data
  // directory as it was, the last good file's parse included.
  if (parsed !== undefined) cache?.write(text, parsed);
  return config;
}

/**
 * The YAML library, required (CommonJS) when a text must be parsed: a daemon's start usually finds the
 * parse kept (parsed-yaml-cache.ts) and never loads it, ~170 KB of code (docs/benchmarks.md, "Memory and
 * start-up, fourth pass").
 */
function yaml(): typeof Yaml {
  return createRequire(import.meta.url)("yaml") as typeof Yaml;
}

/** The YAML text's data (validateConfigText keeps it for the next start once the file is valid). */
function parseYaml(text: string): unknown {
  const doc = yaml().parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => ({ path: "", message: `YAML: ${e.message}` })));
  }
  return doc.toJS() as unknown;
}

function schemaProblems(errors: ErrorObject[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let problem: ConfigProblem;
    if (e.keyword === "additionalProperties") {
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      problem = {
        path: `${e.instancePath}/${escapePointer(name)}`,
        message:
          INLINE_SECRETS[name] ??
          (e.instancePath.endsWith("/tls") ? INLINE_TLS[name] : undefined) ??
          "unknown property",
      };
    } else if (e.keyword === "discriminator") {
      problem = discriminatorProblem(e);
    } else if (e.keyword === "propertyNames") {
      continue; // the nested pattern error below names the key
    } else if (e.propertyName !== undefined) {
      problem = {
        path: `${e.instancePath}/${escapePointer(e.propertyName)}`,
        message: `the key ${e.message ?? "is invalid"}`,
      };
    } else if (e.keyword === "required") {
      const name = String((e.params as { missingProperty: string }).missingProperty);
      problem = { path: `${e.instancePath}/${escapePointer(name)}`, message: "is required" };
    } else if (e.keyword === "enum" || e.keyword === "const") {
      const allowed = (e.params as { allowedValues?: unknown[]; allowedValue?: unknown }).allowedValues ?? [
        (e.params as { allowedValue?: unknown }).allowedValue,
      ];
      problem = { path: e.instancePath, message: `must be one of ${allowed.map(String).join(", ")}` };
    } else if (e.keyword === "type") {
      problem = { path: e.instancePath, message: digitsTypeMessage(e.instancePath, e.message ?? "", e.data) };
    } else {
      problem = { path: e.instancePath, message: e.message ?? e.keyword };
    }
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(problem);
    }
  }
  return out;
}

/** `protocol: zvt2` → `/devices/terminal/protocol: must be one of zvt, fake`. */
function discriminatorProblem(e: ErrorObject): ConfigProblem {
  const { tag, tagValue } = e.params as { tag: string; tagValue?: unknown };
  const branches = (e.parentSchema as { oneOf?: Array<{ properties?: Record<string, { const?: unknown }> }> })
    ?.oneOf;
  const allowed = (branches ?? []).map((b) => String(b.properties?.[tag]?.const));
  const at = `${e.instancePath}/${escapePointer(tag)}`;
  if (typeof tagValue !== "string") return { path: at, message: `is required: one of ${allowed.join(", ")}` };
  return { path: at, message: `must be one of ${allowed.join(", ")}` };
}

/** SPEC §1b: a recipient's transfer codes are paid as a variable-amount service paid to that recipient. */
function transferCodeProblems(raw: RawConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [id, r] of Object.entries(raw.recipients)) {
    if (!r.transferCodes) continue;
    const at = `/recipients/${escapePointer(id)}/transferCodes/service`;
    const entries = (raw.catalog ?? []).filter((item) => item.code === r.transferCodes?.service);
    if (entries.length === 0)
      problems.push({ path: at, message: `no catalog service ${r.transferCodes.service}` });
    else if (entries.some((item) => !item.variable || item.recipient !== id)) {
      problems.push({ path: at, message: `must name a service with a variable amount paid to ${id}` });
    }
  }
  return problems;
}

function semanticProblems(raw: RawConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (p: string, message: string) => problems.push({ path: p, message });
  const recipients = new Set(Object.keys(raw.recipients));

  if (!isValidNip(raw.office.nip)) add("/office/nip", "invalid NIP check digit");
  if (!isValidTimeZone(raw.kiosk.timezone ?? "Europe/Warsaw")) {
    add("/kiosk/timezone", `unknown time zone ${raw.kiosk.timezone}`);
  }
  for (const [id, r] of Object.entries(raw.recipients)) {
    const at = `/recipients/${escapePointer(id)}`;
    const nrb = nrbProblem(r.nrb);
    if (nrb) add(`${at}/nrb`, nrb);
    if (r.nip !== undefined && !isValidNip(r.nip)) add(`${at}/nip`, "invalid NIP check digit");
    // The name is the payout file's recipient (or ordering) name: four lines of 35 characters.
    const name = elixirFieldProblem([r.name]);
    if (name) add(`${at}/name`, name);
  }
  const needRecipient = (at: string, id: string) => {
    if (!recipients.has(id)) add(at, `unknown recipient ${id} (not in /recipients)`);
  };
  for (const [code, c] of Object.entries(raw.components)) {
    needRecipient(`/components/${escapePointer(code)}/recipient`, c.recipient);
  }
  const versions = new Set<string>();
  raw.catalog?.forEach((item, i) => {
    const at = `/catalog/${i}`;
    needRecipient(`${at}/recipient`, item.recipient);
    if ((item.price === undefined) === (item.variable === undefined)) {
      add(at, "exactly one of price and variable must be set");
    }
    if (item.variable && item.variable.min > item.variable.max) {
      add(`${at}/variable`, "min must not exceed max");
    }
    const from = item.validFrom ?? DEFAULT_VALID_FROM;
    if (item.validTo !== undefined && item.validTo < from) add(`${at}/validTo`, "is before validFrom");
    const version = `${item.code}@${from}`;
    if (versions.has(version)) add(`${at}/validFrom`, `another ${item.code} entry starts the same day`);
    versions.add(version);
  });
  problems.push(...transferCodeProblems(raw));
  const fee = raw.handlingFee;
  if (fee?.recipient !== undefined) needRecipient("/handlingFee/recipient", fee.recipient);
  else if (fee && fee.amount > 0) add("/handlingFee/recipient", "is required when amount is above 0");

  const kids = new Map<string, number>();
  raw.slips?.trustedKeys?.forEach((k, i) => {
    const at = `/slips/trustedKeys/${i}`;
    const first = kids.get(k.kid);
    if (first !== undefined) add(`${at}/kid`, `duplicate kid ${k.kid} (also /slips/trustedKeys/${first})`);
    else kids.set(k.kid, i);
    if (k.publicKey === undefined && k.publicKeyFile === undefined) {
      add(
        at,
        `the public key of ${k.kid} is not set: name its file as publicKeyFile (or write the PEM as publicKey)`,
      );
    } else if (k.publicKey !== undefined && k.publicKeyFile !== undefined) {
      add(at, "exactly one of publicKey and publicKeyFile must be set");
    }
  });
  problems.push(...integrationTransportProblems(raw));
  if (raw.service?.pinHash !== undefined) {
    try {
      parsePinHash(raw.service.pinHash);
    } catch (error) {
      add("/service/pinHash", error instanceof Error ? error.message : String(error));
    }
  }
  // Cashier ids are compared without regard to case at the login (`anna` opens Anna's shift), so two
  // that differ only in case could not be told apart.
  const cashierIds = new Map<string, { id: string; at: number }>();
  raw.cashiers?.forEach((c, i) => {
    const first = cashierIds.get(c.id.toLowerCase());
    if (first?.id === c.id) add(`/cashiers/${i}/id`, `duplicate cashier ${c.id}`);
    else if (first)
      add(
        `/cashiers/${i}/id`,
        `cashier ${c.id} differs from cashier ${first.id} (/cashiers/${first.at}) only in case: cashier ids are compared without regard to case at the login, so give one of them another id`,
      );
    else cashierIds.set(c.id.toLowerCase(), { id: c.id, at: i });
    try {
      parsePinHash(c.pinHash);
    } catch (error) {
      add(`/cashiers/${i}/pinHash`, error instanceof Error ? error.message : String(error));
    }
  });
  if (raw.kiosk.mode === "attended" && cashierIds.size === 0) {
    add("/cashiers", "an attended cash desk needs at least one cashier");
  }
  if (raw.service?.adminTokenFile !== undefined && raw.service.adminTokenEnv !== undefined) {
    add("/service", "at most one of adminTokenFile and adminTokenEnv");
  }
  const adminApi = raw.service?.adminTokenFile !== undefined || raw.service?.adminTokenEnv !== undefined;
  problems.push(...serverProblems(raw.server, adminApi));
  return problems;
}

const DEFAULT_VALID_FROM = "2000-01-01";
/** SPEC §3: a bearer token shorter than this is a configuration error (guessable, or a placeholder). */
export const MIN_TOKEN_LENGTH = 32;

/** Per destination: one token source, and credentials only where a TLS handshake carries them. */
function integrationTransportProblems(raw: RawConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (p: string, message: string) => problems.push({ path: p, message });
  for (const [name, target] of Object.entries(raw.integrations ?? {})) {
    if (!target) continue;
    if (target.tokenFile !== undefined && target.tokenEnv !== undefined) {
      add(`/integrations/${name}`, "at most one of tokenFile and tokenEnv");
    }
    const url = parsedUrl(target.url);
    if (url && (url.username !== "" || url.password !== "")) {
      add(
        `/integrations/${name}/url`,
        "holds a user name or password: secrets are never inline (SPEC §3); use tokenFile or tokenEnv (a bearer token) or tls (a client certificate)",
      );
    }
    if (url && url.search !== "") {
      add(
        `/integrations/${name}/url`,
        "holds a query string, which the kiosk would drop: SPEC §6's paths (/payments, /slips/…, /transactions, /days) are added to the URL's path; give a base URL without ?…",
      );
    }
    const clientKey =
      target.tls !== undefined && (tlsFile(target.tls, "key")[1] ?? tlsFile(target.tls, "cert")[1]);
    const credentials = target.tokenFile !== undefined || target.tokenEnv !== undefined || clientKey;
    if (credentials && url && isCleartextRemote(url)) {
      add(
        `/integrations/${name}/url`,
        "a token or client key must not travel in clear text: use https:// (http:// only to a loopback address)",
      );
    } else if (target.tls && url?.protocol === "http:") {
      // A client certificate or a CA serves a TLS handshake, which an http:// URL never has: the
      // daemon could not build this destination's client (it stopped with a stack trace before).
      add(
        `/integrations/${name}/tls`,
        clientKey
          ? "a client certificate (mutual TLS) is presented only over https://: use an https:// URL, or a token for a loopback http:// receiver"
          : "a CA verifies a receiver's certificate only over https://: use an https:// URL, or drop tls for an http:// receiver",
      );
    }
  }
  return problems;
}

/** `http://` to anything but a loopback address: what travels there can be read on the network. */
function isCleartextRemote(url: URL): boolean {
  if (url.protocol !== "http:") return false;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return !(host === "localhost" || host === "::1" || /^127(?:\.[0-9]{1,3}){3}$/.test(host));
}

/** The URL, or undefined when it does not parse (the schema's uri format reports that). */
function parsedUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Reads what a configuration names (files, environment variables); what it cannot read becomes a problem. */
class SecretReader {
  constructor(
    private readonly baseDir: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly problems: ConfigProblem[],
  ) {}

  /** A file relative to the configuration's directory. */
  file(at: string, file: string): string | undefined {
    const full = path.resolve(this.baseDir, file);
    try {
      return readFileSync(full, "utf8");
    } catch (error) {
      this.problems.push({ path: at, message: `cannot read ${full}: ${errorText(error)}` });
      return undefined;
    }
  }

  variable(at: string, name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined || value.trim() === "") {
      this.problems.push({ path: at, message: `environment variable ${name} is not set` });
      return undefined;
    }
    return value.trim();
  }

  /** A bearer token from its file or variable; SPEC §3: shorter than 32 characters is an error. */
  secret(at: string, file: string | undefined, envName: string | undefined): string | undefined {
    const where = file !== undefined ? `${at}File` : `${at}Env`;
    const value =
      file !== undefined
        ? this.file(where, file)?.trim()
        : envName !== undefined
          ? this.variable(where, envName)
          : undefined;
    if (value !== undefined && value.length < MIN_TOKEN_LENGTH) {
      this.problems.push({
        path: where,
        message: `the token is ${value.length} characters; a bearer token needs at least ${MIN_TOKEN_LENGTH} (e.g. openssl rand -base64 32)`,
      });
      return undefined;
    }
    return value;
  }

  /** An office system or hub endpoint with its token and mutual TLS material read. */
  target(at: string, t: RawTarget): IntegrationTarget {
    const out: IntegrationTarget = { url: t.url };
    const token = this.secret(`${at}/token`, t.tokenFile, t.tokenEnv);
    if (token !== undefined) out.token = token;
    if (t.tls) {
      const [certAt, certFile] = tlsFile(t.tls, "cert");
      const [keyAt, keyFile] = tlsFile(t.tls, "key");
      const [caAt, caFile] = tlsFile(t.tls, "ca");
      const cert = certFile === undefined ? undefined : this.file(`${at}/tls/${certAt}`, certFile);
      const key = keyFile === undefined ? undefined : this.file(`${at}/tls/${keyAt}`, keyFile);
      const ca = caFile === undefined ? undefined : this.file(`${at}/tls/${caAt}`, caFile);
      if (cert !== undefined && key !== undefined)
        out.tls = ca === undefined ? { cert, key } : { cert, key, ca };
      else if (ca !== undefined && certFile === undefined && keyFile === undefined) out.tls = { ca };
    }
    if (t.timeoutMs !== undefined) out.timeoutMs = t.timeoutMs;
    return out;
  }
}

/** Builds the `KioskConfig`: defaults filled in, secrets read; unreadable ones become problems. */
function resolve(
  raw: RawConfig,
  baseDir: string,
  env: NodeJS.ProcessEnv,
  problems: ConfigProblem[],
): KioskConfig {
  const read = new SecretReader(baseDir, env, problems);
  const trustedKeys = trustedKeysOf(raw, read);
  const kiosk = kioskOf(raw, read);
  const integrations = integrationsOf(raw, read);
  const config: KioskConfig = {
    office: raw.office,
    kiosk,
    recipients: raw.recipients,
    components: raw.components,
    catalog: (raw.catalog ?? []).map((item) => ({
      ...item,
      validFrom: item.validFrom ?? DEFAULT_VALID_FROM,
    })),
    handlingFee: {
      amount: raw.handlingFee?.amount ?? 0,
      // With no fee there may be no recipient; consumers skip the fee line when amount is 0.
      recipient: raw.handlingFee?.recipient ?? "",
      ...(raw.handlingFee?.label ? { label: raw.handlingFee.label } : {}),
    },
    slips: { trustedKeys, offlinePolicy: raw.slips?.offlinePolicy ?? "refuse" },
    devices: devicesOf(raw.devices),
    integrations,
    storage: {
      path: raw.storage?.path ?? DEFAULT_STORAGE_PATH,
      ...(raw.storage?.backup ? { backup: raw.storage.backup } : {}),
    },
    server: { host: listenHost(raw.server?.host ?? "127.0.0.1"), port: raw.server?.port ?? 8080 },
    cashiers: raw.cashiers ?? [],
  };
  const management = raw.server?.management;
  if (management) {
    config.server.management = { host: listenHost(management.host), port: management.port };
    const tls =
      management.tls && readManagementTls(management.tls, (at, file) => read.file(at, file), problems);
    if (tls) config.server.management.tls = tls;
  }
  if (raw.service) config.service = serviceOf(raw.service, read);
  if (raw.endOfDay) config.endOfDay = raw.endOfDay;
  if (raw.logging) config.logging = raw.logging;
  return config;
}

/**
 * The devices with their defaults: a ZVT terminal's factory password `000000` and an 80 mm
 * printer's 48 columns, so a configuration in SPEC §3's shape without them still starts.
 */
function devicesOf(raw: RawDevices): KioskConfig["devices"] {
  const { terminal, printer } = raw;
  return {
    ...raw,
    terminal:
      terminal.protocol === "zvt" ? { ...terminal, password: terminal.password ?? "000000" } : terminal,
    printer: printer.protocol === "escpos" ? { ...printer, columns: printer.columns ?? 48 } : printer,
  };
}

/** The office systems' slip-signing keys (SPEC §3: the PEM inline or in a file), each checked as Ed25519. */
function trustedKeysOf(raw: RawConfig, read: SecretReader): TrustedKey[] {
  const trustedKeys: TrustedKey[] = [];
  raw.slips?.trustedKeys?.forEach((k, i) => {
    const at = `/slips/trustedKeys/${i}`;
    // SPEC §3 lets publicKey hold the PEM or name its file; publicKeyFile says the latter explicitly.
    const pem =
      k.publicKeyFile !== undefined
        ? read.file(`${at}/publicKeyFile`, k.publicKeyFile)
        : k.publicKey !== undefined && !k.publicKey.trimStart().startsWith("-----BEGIN")
          ? read.file(`${at}/publicKey`, k.publicKey)
          : k.publicKey;
    if (pem === undefined) return;
    const keyProblem = ed25519PublicKeyProblem(pem);
    if (keyProblem) {
      read.problems.push({
        path: `${at}/${k.publicKeyFile !== undefined ? "publicKeyFile" : "publicKey"}`,
        message: keyProblem,
      });
      return;
    }
    trustedKeys.push({ kid: k.kid, publicKey: pem });
  });
  return trustedKeys;
}

/** The kiosk section with its defaults, and its receipt-signing key read and checked. */
function kioskOf(raw: RawConfig, read: SecretReader): KioskConfig["kiosk"] {
  const kiosk: KioskConfig["kiosk"] = {
    id: raw.kiosk.id,
    timezone: canonicalTimeZone(raw.kiosk.timezone ?? "Europe/Warsaw"),
    languages: raw.kiosk.languages ?? ["pl", "en", "uk"],
    idleTimeoutSeconds: raw.kiosk.idleTimeoutSeconds ?? 60,
    mode: raw.kiosk.mode ?? "unattended",
    layout: { ...DEFAULT_SCREEN_LAYOUT, ...raw.kiosk.layout },
  };
  if (raw.kiosk.signingKeyFile !== undefined) {
    const pem = read.file("/kiosk/signingKeyFile", raw.kiosk.signingKeyFile);
    if (pem !== undefined) {
      const keyProblem = ed25519PrivateKeyProblem(pem);
      if (keyProblem) read.problems.push({ path: "/kiosk/signingKeyFile", message: keyProblem });
      else kiosk.signingKey = pem;
    }
  }
  if (raw.kiosk.signingKid !== undefined) kiosk.signingKid = raw.kiosk.signingKid;
  return kiosk;
}

function integrationsOf(raw: RawConfig, read: SecretReader): KioskConfig["integrations"] {
  const integrations: KioskConfig["integrations"] = {};
  const ri = raw.integrations ?? {};
  if (ri.pik)
    integrations.pik = {
      ...read.target("/integrations/pik", ri.pik),
      reporting: ri.pik.reporting ?? "direct",
    };
  if (ri.settlement) integrations.settlement = read.target("/integrations/settlement", ri.settlement);
  if (ri.heartbeat) {
    integrations.heartbeat = read.target("/integrations/heartbeat", ri.heartbeat);
    if (ri.heartbeat.intervalSeconds !== undefined) {
      integrations.heartbeat.intervalSeconds = ri.heartbeat.intervalSeconds;
    }
  }
  return integrations;
}

function serviceOf(
  raw: NonNullable<RawConfig["service"]>,
  read: SecretReader,
): NonNullable<KioskConfig["service"]> {
  const service: NonNullable<KioskConfig["service"]> = {};
  if (raw.pinHash !== undefined) service.pinHash = raw.pinHash;
  const adminToken = read.secret("/service/adminToken", raw.adminTokenFile, raw.adminTokenEnv);
  if (adminToken !== undefined) service.adminToken = adminToken;
  return service;
}

function ed25519PublicKeyProblem(pem: string): string | undefined {
  if (isPrivateKeyPem(pem)) {
    return "a private key where a public key belongs: trust the office system's public key (NAME.pub.pem) and keep its private key with the office system";
  }
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === "ed25519" ? undefined : `not an Ed25519 key (${key.asymmetricKeyType})`;
  } catch {
    return "not a PEM public key";
  }
}

function ed25519PrivateKeyProblem(pem: string): string | undefined {
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === "ed25519" ? undefined : `not an Ed25519 key (${key.asymmetricKeyType})`;
  } catch {
    return "not a PEM private key";
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function errorText(error: unknown): string {
  return error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
}

type Devices = KioskConfig["devices"];
/** The device sections as written: the terminal's password and the printer's columns may be absent. */
type RawDevices = Omit<Devices, "terminal" | "printer"> & {
  terminal:
    | (Omit<Extract<Devices["terminal"], { protocol: "zvt" }>, "password"> & { password?: string })
    | Extract<Devices["terminal"], { protocol: "fake" }>;
  printer:
    | (Omit<Extract<Devices["printer"], { protocol: "escpos" }>, "columns"> & { columns?: number })
    | Extract<Devices["printer"], { protocol: "fake" }>;
};

/** The YAML shape after schema validation: secrets named by file or variable, defaults not yet applied. */
type RawTls = Partial<Record<"certFile" | "keyFile" | "caFile" | "cert" | "key" | "ca", string>>;

/** Which spelling of a TLS file a target uses (`cert` or `certFile`, …) and the file it names. */
function tlsFile(tls: RawTls, name: "cert" | "key" | "ca"): [string, string | undefined] {
  const long = `${name}File` as const;
  return tls[long] !== undefined ? [long, tls[long]] : [name, tls[name]];
}

/**
 * TLS material of each office system: a client certificate and its key (mutual TLS), each as
 * `certFile` or `cert` (SPEC §3 names TLS files `cert`/`key` under `server.management`, the kiosk
 * documented `certFile`/`keyFile`: both are file names), and/or a CA (`ca`/`caFile`) for a receiver
 * whose certificate a private authority signed. PEM text written inline is refused.
 */
function integrationTlsProblems(raw: RawConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [target, t] of Object.entries(raw.integrations ?? {})) {
    if (!t?.tls) continue;
    const at = `/integrations/${escapePointer(target)}/tls`;
    for (const name of ["cert", "key", "ca"] as const) {
      const long = `${name}File` as const;
      const inline = [name, long].find((n) => t.tls?.[n]?.trimStart().startsWith("-----BEGIN"));
      if (inline !== undefined) {
        problems.push({
          path: `${at}/${inline}`,
          message: INLINE_TLS[name] ?? "TLS material is never inline",
        });
      } else if (t.tls[name] !== undefined && t.tls[long] !== undefined) {
        problems.push({ path: at, message: `at most one of ${name} and ${long}` });
      }
    }
    problems.push(...clientPairProblems(at, t.tls));
  }
  return problems;
}

/** A client certificate is useless without its key and the other way round; a CA may stand alone. */
function clientPairProblems(at: string, tls: RawTls): ConfigProblem[] {
  const has = (name: "cert" | "key" | "ca") => tlsFile(tls, name)[1] !== undefined;
  if (!has("cert") && !has("key")) {
    return has("ca")
      ? []
      : [
          {
            path: at,
            message:
              "names no file: give cert and key (a client certificate for mutual TLS), ca (the authority that signed the receiver's certificate), or both",
          },
        ];
  }
  const missing = has("cert") ? "key" : "cert";
  if (has(missing)) return [];
  return [
    {
      path: `${at}/${missing}`,
      message: `is required with ${missing === "key" ? "cert" : "key"}: the client's PEM ${missing === "cert" ? "certificate" : "private key"} file (${missing} or ${missing}File)`,
    },
  ];
}

interface RawTarget {
  url: string;
  tokenFile?: string;
  tokenEnv?: string;
  tls?: RawTls;
  timeoutMs?: number;
}

interface RawConfig {
  office: KioskConfig["office"];
  kiosk: {
    id: string;
    timezone?: string;
    languages?: Language[];
    idleTimeoutSeconds?: number;
    signingKeyFile?: string;
    signingKid?: string;
    mode?: "unattended" | "attended";
    layout?: Partial<KioskConfig["kiosk"]["layout"]>;
  };
  recipients: KioskConfig["recipients"];
  components: KioskConfig["components"];
  catalog?: Array<Omit<CatalogItem, "validFrom"> & { validFrom?: string }>;
  handlingFee?: { amount: number; recipient?: string; label?: KioskConfig["handlingFee"]["label"] };
  slips?: {
    trustedKeys?: Array<{ kid: string; publicKey?: string; publicKeyFile?: string }>;
    offlinePolicy?: "refuse" | "accept";
  };
  devices: RawDevices;
  integrations?: {
    pik?: RawTarget & { reporting?: "direct" | "receipt" };
    settlement?: RawTarget;
    heartbeat?: RawTarget & { intervalSeconds?: number };
  };
  storage?: { path?: string; backup?: NonNullable<KioskConfig["storage"]["backup"]> };
  server?: RawServer;
  service?: { pinHash?: string; adminTokenFile?: string; adminTokenEnv?: string };
  cashiers?: KioskConfig["cashiers"];
  endOfDay?: { time: string };
  logging?: KioskConfig["logging"];
}
