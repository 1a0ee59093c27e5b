/** The hub's configuration (SPEC §9) after validation, with secrets resolved. */
export interface HubRecipient {
  name: string;
  /** 26 digits, validated. */
  nrb: string;
}

export interface HubOffice {
  id: string;
  name: string;
  nip?: string;
  recipients: Record<string, HubRecipient>;
}

export interface HubDevice {
  id: string;
  office: string;
  kind: "kiosk" | "desk";
  /** The bearer token it authenticates with (from tokenFile or tokenEnv). */
  token?: string;
  /** Lower-case hex SHA-256 of its client certificate (DER), without colons. */
  clientCertSha256?: string;
}

export interface HubStaff {
  login: string;
  name: string;
  offices: string[] | "all";
  passwordHash?: string;
  token?: string;
}

export interface HubConfig {
  /** `connections`: the pool's size (default 20), for a server whose max_connections leaves the hub fewer. */
  database: { url: string; connections?: number } | { embedded: string };
  server: { host: string; port: number; tls?: { cert: string; key: string; ca?: string } };
  offices: Record<string, HubOffice>;
  devices: HubDevice[];
  staff: HubStaff[];
  bank: { payerNrb: string; payerName: string };
}
