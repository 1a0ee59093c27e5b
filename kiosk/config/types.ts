/**
 * The validated configuration (SPEC §3), after secrets were resolved from files or the environment.
 * `config/schema.json` is the source of truth for what a YAML file may say; this type mirrors it.
 */
import type { TransportConfig } from "../../devices/transport/transport.ts";
import type { CatalogItem } from "../domain/catalog.ts";
import type { Label, Language } from "../domain/language.ts";
import type { HandlingFee } from "../domain/lines.ts";

// The domain owns these shapes (it may import nothing else); the configuration is made of them.
export type { CatalogItem, HandlingFee, Label, Language };
export { LANGUAGES } from "../domain/language.ts";

export interface Recipient {
  name: string;
  /** 26 digits, no spaces, validated (mod 97 and sort-code check digit). */
  nrb: string;
  nip?: string;
  /** SPEC §1b: bank transfer codes to this account are paid as this catalog service. */
  transferCodes?: { service: string };
}

export interface Component {
  label: Label;
  /** A key of `recipients`. */
  recipient: string;
  /** An optional group for the screen, e.g. "Rejestracja pojazdów". */
  group?: string;
}

export interface Cashier {
  id: string;
  name: string;
  /** scrypt hash of the cashier's PIN, like the service PIN's. */
  pinHash: string;
}

export interface TrustedKey {
  kid: string;
  /** PEM text (a file reference in YAML is resolved by the loader). */
  publicKey: string;
}

export interface DeviceConfigs {
  terminal:
    | {
        protocol: "zvt";
        transport: TransportConfig;
        /** Six digits, sent as three BCD bytes at registration. */
        password: string;
        /** Seconds to wait for the visitor at the terminal before giving up (T4-like); default 180. */
        timeoutSeconds?: number;
      }
    | { protocol: "fake" };
  printer:
    | {
        protocol: "escpos";
        transport: TransportConfig;
        columns: number;
        /** `cp852` (default) or `cp1250`. */
        codePage?: "cp852" | "cp1250";
      }
    | { protocol: "fake" };
  scanner:
    | { type: "keyboard" }
    | { type: "hid"; vendorId: number; productId: number; serialNumber?: string }
    | { type: "serial"; path: string; baudRate: number };
  gpio:
    | { backend: "sim" }
    | {
        backend: "linux";
        lights?: Partial<Record<"status" | "printer" | "terminal" | "scanner", string>>;
        /** The gpio-keys input device, e.g. /dev/input/by-path/platform-gpio-keys-event. */
        inputDevice?: string;
        doorKeyCode?: number;
        serviceKeyCode?: number;
        /** EV_SW code of the headphone jack's insert switch (SW_HEADPHONE_INSERT = 2). */
        headphoneSwitchCode?: number;
      };
}

export interface IntegrationTarget {
  url: string;
  /** Bearer token, resolved from `tokenFile` or `tokenEnv`. */
  token?: string;
  /** TLS material, PEM text read from files: a client certificate with its key (mutual TLS), and/or
   *  the CA that signed the receiver's certificate (else the system store verifies it). */
  tls?: ClientTls;
  /** Per-request timeout in milliseconds (default 10 000; the slip check uses 3 000). */
  timeoutMs?: number;
}

/** A client certificate comes with its key; a CA alone trusts a receiver's private certificate. */
export type ClientTls =
  | { cert: string; key: string; ca?: string }
  | { ca: string; cert?: never; key?: never };

export interface ManagementListener {
  host: string;
  port: number;
  /** PEM certificate and key, read from the configured files. */
  tls?: { cert: string; key: string };
}

export type { DevicePlace, KioskScreenLayout } from "../../contracts/screen-layout.ts";
export { DEFAULT_SCREEN_LAYOUT } from "../../contracts/screen-layout.ts";
import type { KioskScreenLayout } from "../../contracts/screen-layout.ts";

export interface KioskConfig {
  office: { id: string; name: string; address: string; nip: string };
  kiosk: {
    id: string;
    timezone: string;
    languages: Language[];
    idleTimeoutSeconds: number;
    /** `unattended`: a self-service kiosk; `attended`: an office cash desk with cashiers (SPEC §10). */
    mode?: "unattended" | "attended";
    /** The kiosk's own Ed25519 private key (PEM) for OPLR1 receipt codes; generated under --data if absent. */
    signingKey?: string;
    /** The kid printed in OPLR1 codes. */
    signingKid?: string;
    /** How the panel is mounted and where the card terminal, printer and code reader are (for the UI). */
    layout?: KioskScreenLayout;
  };
  recipients: Record<string, Recipient>;
  components: Record<string, Component>;
  catalog: CatalogItem[];
  handlingFee: HandlingFee;
  slips: { trustedKeys: TrustedKey[]; offlinePolicy: "refuse" | "accept" };
  devices: DeviceConfigs;
  integrations: {
    pik?: IntegrationTarget & { reporting: "direct" | "receipt" };
    settlement?: IntegrationTarget;
    heartbeat?: IntegrationTarget & { intervalSeconds?: number };
  };
  storage: { path: string; backup?: { directory: string; intervalMinutes: number; keep: number } };
  server: {
    /** The visitor UI, visitor API and service API: a loopback address (SPEC §3). */
    host: string;
    port: number;
    /** /health, /ready, /metrics, /api/docs and the admin API; absent: no admin API. */
    management?: ManagementListener;
  };
  service?: {
    /** scrypt hash of the technician PIN, `scrypt$N$r$p$saltB64$hashB64`. */
    pinHash?: string;
    /** Bearer token for office staff (admin API), resolved from a file or env. */
    adminToken?: string;
  };
  /** Who may open a shift at an attended cash desk (SPEC §10). */
  cashiers?: Cashier[];
  endOfDay?: { time: string };
  logging?: { level: "fatal" | "error" | "warn" | "info" | "debug" | "trace" };
}
