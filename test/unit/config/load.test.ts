import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { verifyPin } from "../../../kiosk/auth/pin-hash.ts";
import { ConfigError, loadConfig, validateConfigText } from "../../../kiosk/config/load.ts";
import { makeNrb } from "../../../kiosk/domain/nrb.ts";

const CONFIG_DIR = path.resolve("config");
const DEMO_TEXT = fs.readFileSync(path.join(CONFIG_DIR, "demo.yaml"), "utf8");
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

type Doc = Record<string, unknown> & {
  office: Record<string, unknown>;
  kiosk: Record<string, unknown>;
  recipients: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
  catalog: Array<Record<string, unknown>>;
  slips: { trustedKeys: Array<Record<string, unknown>> };
  integrations: Record<string, Record<string, unknown>>;
  service: Record<string, unknown>;
  handlingFee: Record<string, unknown>;
};

/** The demo document with one change applied, validated as if it lived in config/. */
function problemsAfter(change: (doc: Doc) => void, env: NodeJS.ProcessEnv = {}): string[] {
  const doc = parse(DEMO_TEXT) as Doc;
  change(doc);
  try {
    validateConfigText(stringify(doc), CONFIG_DIR, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("the shipped configurations", () => {
  it("loads the demo office with its secrets and keys resolved", () => {
    const config = loadConfig(path.join(CONFIG_DIR, "demo.yaml"), {});
    expect(config.office.id).toBe("PZ1465");
    expect(config.components["DR"]?.recipient).toBe("POWIAT");
    expect(config.handlingFee.amount).toBeGreaterThan(0);
    expect(config.slips.trustedKeys[0]?.kid).toBe("pik2026");
    expect(config.slips.trustedKeys[0]?.publicKey).toContain("BEGIN PUBLIC KEY");
    expect(config.service?.adminToken).toBe("demo-admin-token-not-secret-it-is-in-git");
    const geoMap = config.catalog.filter((item) => item.code === "GEO_MAP");
    expect(new Set(geoMap.map((item) => item.validFrom)).size).toBe(2);
    expect(config.catalog.some((item) => item.variable && item.reference === "required")).toBe(true);
  });

  it("names each demo account for what it receives: the town's takes stamp duty, the property tax and the dog fee", () => {
    const config = loadConfig(path.join(CONFIG_DIR, "demo.yaml"), {});
    const paidTo = (key: string) =>
      [...Object.values(config.components), ...config.catalog]
        .filter((i) => i.recipient === key)
        .map((i) => i.label.pl.toLowerCase());
    expect(paidTo("GMINA")).toEqual(
      expect.arrayContaining([
        "opłata skarbowa – zaświadczenie",
        "podatek od nieruchomości",
        "opłata od posiadania psów",
      ]),
    );
    // An account named for one fee (the payout's recipient name, the hub's report) takes only that fee:
    // before, the dog fee and the property tax went to "Urząd Miasta Przykładowo – opłata skarbowa".
    for (const [key, r] of Object.entries(config.recipients)) {
      const fee = /[–—-]\s*(opłata skarbowa)$/i.exec(r.name)?.[1]?.toLowerCase();
      if (fee)
        expect(
          paidTo(key).filter((label) => !label.startsWith(fee)),
          r.name,
        ).toEqual([]);
    }
  });

  it("lets the technician in with the demo PIN 246810 and no other", async () => {
    const config = loadConfig(path.join(CONFIG_DIR, "demo.yaml"), {});
    const hash = config.service?.pinHash ?? "";
    expect(await verifyPin("246810", hash)).toBe(true);
    expect(await verifyPin("246811", hash)).toBe(false);
  });

  // hub.yaml configures the settlement hub, not a kiosk (test/unit/hub/example-config.test.ts).
  it.each(
    fs.readdirSync(path.join(CONFIG_DIR, "examples")).filter((f) => f.endsWith(".yaml") && f !== "hub.yaml"),
  )("examples/%s trusts no slip key as shipped, and is valid once one is set", (file) => {
    const text = fs.readFileSync(path.join(CONFIG_DIR, "examples", file), "utf8");
    expect(() => validateConfigText(text, path.join(CONFIG_DIR, "examples"), {})).toThrow(
      /\/slips\/trustedKeys\/0: the public key of \w+ is not set/,
    );
    const doc = parse(text) as Doc;
    doc.slips.trustedKeys = [{ kid: "office1", publicKeyFile: "../demo-keys/pik-demo.pub.pem" }];
    const config = validateConfigText(stringify(doc), path.join(CONFIG_DIR, "examples"), {});
    expect(config.office.id).toMatch(/^[A-Z0-9-]{1,16}$/);
  });
});

describe("secrets and trust anchors (SPEC §3)", () => {
  const TOKEN = "0123456789abcdef0123456789abcdef";

  it("a private key where a public key belongs, by file or inline", () => {
    const inline = String(generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }));
    expect(
      problemsAfter((d) => {
        d.slips.trustedKeys = [
          { kid: "pik2026", publicKeyFile: "demo-keys/pik-demo.pem" },
          { kid: "inline", publicKey: inline },
        ];
      }),
    ).toEqual([
      expect.stringMatching(
        /^\/slips\/trustedKeys\/0\/publicKeyFile: a private key where a public key belongs/,
      ),
      expect.stringMatching(/^\/slips\/trustedKeys\/1\/publicKey: a private key where a public key belongs/),
    ]);
  });

  it("a bearer token shorter than 32 characters, from a file or the environment", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-config-"));
    tempDirs.push(dir);
    fs.writeFileSync(path.join(dir, "short.token"), "s3cret\n");
    expect(
      problemsAfter(
        (d) => {
          d.integrations["pik"]!["tokenEnv"] = "PIK_TOKEN";
          d.service["adminTokenFile"] = path.join(dir, "short.token");
        },
        { PIK_TOKEN: "x".repeat(31) },
      ),
    ).toEqual([
      "/integrations/pik/tokenEnv: the token is 31 characters; a bearer token needs at least 32 (e.g. openssl rand -base64 32)",
      "/service/adminTokenFile: the token is 6 characters; a bearer token needs at least 32 (e.g. openssl rand -base64 32)",
    ]);
  });

  it("a token or client key for an http:// URL that is not loopback", () => {
    expect(
      problemsAfter(
        (d) => {
          d.integrations["pik"] = { url: "http://pik.office.example/api", tokenEnv: "PIK_TOKEN" };
          d.integrations["settlement"] = {
            url: "http://10.0.0.5:8443",
            tls: { certFile: "demo-keys/pik-demo.pub.pem", keyFile: "demo-keys/pik-demo.pem" },
          };
        },
        { PIK_TOKEN: TOKEN },
      ),
    ).toEqual([
      "/integrations/pik/url: a token or client key must not travel in clear text: use https:// (http:// only to a loopback address)",
      "/integrations/settlement/url: a token or client key must not travel in clear text: use https:// (http:// only to a loopback address)",
    ]);
    for (const url of [
      "http://127.0.0.1:18081",
      "http://localhost:1",
      "http://[::1]:2",
      "https://pik.example/",
    ]) {
      expect(
        problemsAfter(
          (d) => {
            d.integrations["pik"] = { url, tokenEnv: "PIK_TOKEN" };
          },
          { PIK_TOKEN: TOKEN },
        ),
        url,
      ).toEqual([]);
    }
  });

  it("a client certificate for a loopback http:// URL: mutual TLS needs https (the daemon could not start)", () => {
    expect(
      problemsAfter((d) => {
        d.integrations["settlement"] = {
          url: "http://127.0.0.1:18082",
          tls: { certFile: "demo-keys/pik-demo.pub.pem", keyFile: "demo-keys/pik-demo.pem" },
        };
      }),
    ).toEqual([
      "/integrations/settlement/tls: a client certificate (mutual TLS) is presented only over https://: use an https:// URL, or a token for a loopback http:// receiver",
    ]);
  });

  it("TLS files: a CA alone trusts a receiver's private certificate; a certificate needs its key", () => {
    const https = "https://settlement.office.example/api";
    const tlsProblems = (tls: Record<string, string>, url = https) =>
      problemsAfter((d) => {
        d.integrations["settlement"] = { url, tls };
      });
    // A bearer-token receiver behind a private CA: before, the CA alone was refused ("cert is required").
    expect(tlsProblems({ ca: "demo-keys/pik-demo.pub.pem" })).toEqual([]);
    expect(tlsProblems({ caFile: "demo-keys/pik-demo.pub.pem" })).toEqual([]);
    expect(tlsProblems({ cert: "demo-keys/pik-demo.pub.pem" })).toEqual([
      "/integrations/settlement/tls/key: is required with cert: the client's PEM private key file (key or keyFile)",
    ]);
    expect(tlsProblems({ keyFile: "demo-keys/pik-demo.pem", ca: "demo-keys/pik-demo.pub.pem" })).toEqual([
      "/integrations/settlement/tls/cert: is required with key: the client's PEM certificate file (cert or certFile)",
    ]);
    expect(tlsProblems({})).toEqual([
      "/integrations/settlement/tls: names no file: give cert and key (a client certificate for mutual TLS), ca (the authority that signed the receiver's certificate), or both",
    ]);
    expect(tlsProblems({ ca: "demo-keys/pik-demo.pub.pem" }, "http://127.0.0.1:18082")).toEqual([
      "/integrations/settlement/tls: a CA verifies a receiver's certificate only over https://: use an https:// URL, or drop tls for an http:// receiver",
    ]);
  });

  it("a user name, password or query string in an office system's URL (inline, or silently dropped)", () => {
    expect(
      problemsAfter(
        (d) => {
          d.integrations["pik"] = { url: "https://kiosk:s3cret@pik.office.example/api", reporting: "direct" };
          d.integrations["settlement"] = { url: "https://rozliczenia.example/api?token=abc", tokenEnv: "T" };
        },
        { T: TOKEN },
      ),
    ).toEqual([
      "/integrations/pik/url: holds a user name or password: secrets are never inline (SPEC §3); use tokenFile or tokenEnv (a bearer token) or tls (a client certificate)",
      "/integrations/settlement/url: holds a query string, which the kiosk would drop: SPEC §6's paths (/payments, /slips/…, /transactions, /days) are added to the URL's path; give a base URL without ?…",
    ]);
  });

  it("fills in the defaults a minimal file leaves out", () => {
    const minimal = `
office: { id: WORD-PO, name: WORD, address: Poznań, nip: "1234567883" }
kiosk: { id: K1 }
recipients: { WORD: { name: WORD, nrb: "14102052260000123456789012" } }
components: { EGZ: { label: { pl: Egzamin }, recipient: WORD } }
devices: { terminal: { protocol: fake }, printer: { protocol: fake }, scanner: { type: keyboard }, gpio: { backend: sim } }
`;
    const config = validateConfigText(minimal, os.tmpdir(), {});
    expect(config.kiosk).toEqual({
      id: "K1",
      timezone: "Europe/Warsaw",
      languages: ["pl", "en", "uk"],
      idleTimeoutSeconds: 60,
      mode: "unattended",
      layout: { orientation: "auto", pinPad: "below-right", printer: "below-left", scanner: "below" },
    });
    expect(config.slips).toEqual({ trustedKeys: [], offlinePolicy: "refuse" });
    expect(config.handlingFee.amount).toBe(0);
    expect(config.server).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(config.storage.path).toBe("var/oplatomat.db");
    expect(config.catalog).toEqual([]);
    expect(config.integrations).toEqual({});
  });
});

describe("each broken rule is reported with its path", () => {
  it("transfer codes paid as a service that is not a variable amount paid to that recipient (SPEC §1b)", () => {
    expect(
      problemsAfter((d) => {
        d.recipients["POWIAT"]!["transferCodes"] = { service: "TAX_LOCAL" };
        d.recipients["WORD"]!["transferCodes"] = { service: "NO_SUCH" };
      }),
    ).toEqual([
      "/recipients/POWIAT/transferCodes/service: must name a service with a variable amount paid to POWIAT",
      "/recipients/WORD/transferCodes/service: no catalog service NO_SUCH",
    ]);
  });

  it("a recipient NRB with wrong check digits", () => {
    expect(
      problemsAfter((d) => {
        d.recipients["POWIAT"]!["nrb"] = "13102099920000000014651001";
      }),
    ).toEqual(["/recipients/POWIAT/nrb: invalid NRB check digits"]);
  });

  it("a recipient's name too long for a payout transfer's name (Elixir-O: 4 lines of 35 characters)", () => {
    // Refused when the kiosk is configured, not when finance staff ask for the day's payouts.
    const long =
      "Starostwo Powiatowe w Przykładowie – Wydział Komunikacji, Transportu i Dróg Publicznych – rachunek dochodów z opłat ewidencyjnych i komunikacyjnych";
    expect(
      problemsAfter((d) => {
        d.recipients["POWIAT"]!["name"] = long;
      }),
    ).toEqual([
      "/recipients/POWIAT/name: too long for a payout transfer (Elixir-O): 5 lines of 35 characters needed, 4 at most",
    ]);
    expect(
      problemsAfter((d) => {
        d.recipients["POWIAT"]!["name"] = long.slice(0, 120);
      }),
    ).toEqual([]);
  });

  it("an NRB whose sort code's own check digit is wrong", () => {
    // Mod 97 holds, the sort code 10205227 does not (its check digit is 6).
    expect(
      problemsAfter((d) => {
        d.recipients["GMINA"]!["nrb"] = makeNrb("10205227", "0000123456789012");
      }),
    ).toEqual(["/recipients/GMINA/nrb: invalid sort-code check digit"]);
  });

  it("an NRB with spaces (the file holds the electronic form)", () => {
    const problems = problemsAfter((d) => {
      d.recipients["WORD"]!["nrb"] = "14 1020 5226 0000 1234 5678 9012";
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\/recipients\/WORD\/nrb: must match pattern/);
  });

  it("a NIP with a wrong check digit, office and recipient alike", () => {
    expect(
      problemsAfter((d) => {
        d.office["nip"] = "1234567882";
        d.recipients["OPERATOR"]!["nip"] = "7781425635";
      }),
    ).toEqual(["/office/nip: invalid NIP check digit", "/recipients/OPERATOR/nip: invalid NIP check digit"]);
  });

  it("an NRB or a NIP written without quotes: YAML reads digits as a number, and the message says to quote it", () => {
    const text = DEMO_TEXT.replace('nip: "7781425636"', "nip: 7781425636").replace(
      'nrb: "68124099900000000014652002"',
      "nrb: 68124099900000000014652002",
    );
    let problems: string[] = [];
    try {
      validateConfigText(text, CONFIG_DIR, {});
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems.map((p) => `${p.path}: ${p.message}`);
    }
    const quote = (key: string) =>
      `must be string: write it in quotes (${key}: "…"); unquoted, YAML reads the digits as a number`;
    expect(problems).toEqual([`/office/nip: ${quote("nip")}`, `/recipients/GMINA/nrb: ${quote("nrb")}`]);
    // A value of another kind keeps the schema's words: the hint is for digits only.
    const notDigits = problemsAfter((d) => {
      d.recipients["WORD"]!["nrb"] = true;
    });
    expect(notDigits).toEqual(["/recipients/WORD/nrb: must be string"]);
  });

  it("a component, catalog item or handling fee naming an unknown recipient", () => {
    expect(
      problemsAfter((d) => {
        d.components["DR"]!["recipient"] = "FUNDUSZ";
        d.catalog[0]!["recipient"] = "NOBODY";
        d.handlingFee["recipient"] = "BANK";
      }),
    ).toEqual([
      "/components/DR/recipient: unknown recipient FUNDUSZ (not in /recipients)",
      "/catalog/0/recipient: unknown recipient NOBODY (not in /recipients)",
      "/handlingFee/recipient: unknown recipient BANK (not in /recipients)",
    ]);
  });

  it("a catalog item with both price and variable, or neither, or min above max", () => {
    expect(
      problemsAfter((d) => {
        d.catalog[0]!["variable"] = { min: 100, max: 200 };
        delete d.catalog[2]!["price"];
        d.catalog[4]!["variable"] = { min: 5000, max: 100 };
      }),
    ).toEqual([
      "/catalog/0: exactly one of price and variable must be set",
      "/catalog/2: exactly one of price and variable must be set",
      "/catalog/4/variable: min must not exceed max",
    ]);
  });

  it("an amount that is not whole grosze", () => {
    expect(
      problemsAfter((d) => {
        d.catalog[0]!["price"] = 45.5;
      }),
    ).toEqual(["/catalog/0/price: must be integer"]);
  });

  it("an office id or component code outside its pattern", () => {
    const problems = problemsAfter((d) => {
      d.office["id"] = "pz 1465";
      d.components["dr-lower"] = d.components["DR"]!;
    });
    expect(problems).toContain('/office/id: must match pattern "^[A-Z0-9-]{1,16}$"');
    expect(problems).toContain('/components/dr-lower: the key must match pattern "^[A-Z0-9_]{1,16}$"');
  });

  it("an inline token, refused with what to write instead", () => {
    expect(
      problemsAfter((d) => {
        d.integrations["pik"]!["token"] = "abc";
      }),
    ).toEqual(["/integrations/pik/token: secrets are never inline: use tokenFile or tokenEnv"]);
    expect(
      problemsAfter((d) => {
        d.kiosk["signingKey"] = "-----BEGIN PRIVATE KEY-----";
      }),
    ).toEqual(["/kiosk/signingKey: private keys are never inline: use signingKeyFile"]);
  });

  it("a missing secret file or environment variable", () => {
    expect(
      problemsAfter((d) => {
        d.integrations["settlement"]!["tokenFile"] = "no-such-token";
      }),
    ).toEqual([
      `/integrations/settlement/tokenFile: cannot read ${path.join(CONFIG_DIR, "no-such-token")}: ENOENT`,
    ]);
    expect(
      problemsAfter((d) => {
        d.service["adminTokenEnv"] = "OPL_ADMIN";
        delete d.service["adminTokenFile"];
      }),
    ).toEqual(["/service/adminTokenEnv: environment variable OPL_ADMIN is not set"]);
  });

  it("reads a token from the environment when it is there", () => {
    const doc = parse(DEMO_TEXT) as Doc;
    doc.integrations["pik"]!["tokenEnv"] = "PIK_TOKEN";
    const token = "pik-token-0123456789-0123456789-abc";
    const config = validateConfigText(stringify(doc), CONFIG_DIR, { PIK_TOKEN: `${token}\n` });
    expect(config.integrations.pik?.token).toBe(token);
  });

  it("resolves key and TLS files against the config file's own directory", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-config-"));
    tempDirs.push(dir);
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    fs.mkdirSync(path.join(dir, "keys"));
    fs.writeFileSync(
      path.join(dir, "keys", "office.pub.pem"),
      publicKey.export({ type: "spki", format: "pem" }),
    );
    fs.writeFileSync(
      path.join(dir, "keys", "kiosk.pem"),
      privateKey.export({ type: "pkcs8", format: "pem" }),
    );
    fs.writeFileSync(path.join(dir, "keys", "cert.pem"), "CERT");
    fs.writeFileSync(path.join(dir, "keys", "key.pem"), "KEY");
    const doc = parse(DEMO_TEXT) as Doc;
    doc.slips.trustedKeys = [
      { kid: "office1", publicKeyFile: "keys/office.pub.pem" },
      // SPEC §3: `publicKey: <PEM or file>`.
      { kid: "office2", publicKey: "keys/office.pub.pem" },
    ];
    doc.kiosk["signingKeyFile"] = "keys/kiosk.pem";
    // A client certificate needs an https:// receiver (the demo's settlement is loopback http).
    doc.integrations["settlement"]!["url"] = "https://settlement.office.example/api";
    doc.integrations["settlement"]!["tls"] = { certFile: "keys/cert.pem", keyFile: "keys/key.pem" };
    delete doc.service["adminTokenFile"];
    fs.writeFileSync(path.join(dir, "kiosk.yaml"), stringify(doc));
    const config = loadConfig(path.join(dir, "kiosk.yaml"), {});
    expect(config.slips.trustedKeys.map((k) => k.kid)).toEqual(["office1", "office2"]);
    for (const k of config.slips.trustedKeys) expect(k.publicKey).toContain("BEGIN PUBLIC KEY");
    expect(config.kiosk.signingKey).toContain("BEGIN PRIVATE KEY");
    expect(config.integrations.settlement?.tls).toEqual({ cert: "CERT", key: "KEY" });
    // A CA alone is read too, for a bearer-token receiver whose certificate a private CA signed.
    doc.integrations["settlement"]!["tls"] = { ca: "keys/cert.pem" };
    fs.writeFileSync(path.join(dir, "kiosk.yaml"), stringify(doc));
    expect(loadConfig(path.join(dir, "kiosk.yaml"), {}).integrations.settlement?.tls).toEqual({ ca: "CERT" });
  });

  it("duplicate kids, and a trusted key that is not an Ed25519 public key", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({
      type: "spki",
      format: "pem",
    });
    expect(
      problemsAfter((d) => {
        d.slips.trustedKeys.push({ kid: "pik2026", publicKeyFile: "demo-keys/pik-demo.pub.pem" });
        d.slips.trustedKeys.push({ kid: "rsa", publicKey: String(rsa) });
      }),
    ).toEqual([
      "/slips/trustedKeys/1/kid: duplicate kid pik2026 (also /slips/trustedKeys/0)",
      "/slips/trustedKeys/2/publicKey: not an Ed25519 key (rsa)",
    ]);
  });

  it("two cashiers whose ids differ only in case (ids are compared without regard to case at the login)", () => {
    const hash = "scrypt$1024$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==";
    expect(
      problemsAfter((d) => {
        (d as Record<string, unknown>)["cashiers"] = [
          { id: "Anna", name: "Anna Nowak", pinHash: hash },
          { id: "piotr", name: "Piotr Wiśniewski", pinHash: hash },
          { id: "anna", name: "Anna Kowalska", pinHash: hash },
        ];
      }),
    ).toEqual([
      "/cashiers/2/id: cashier anna differs from cashier Anna (/cashiers/0) only in case: cashier ids are compared without regard to case at the login, so give one of them another id",
    ]);
  });

  it("an unknown time zone, a bad date and a bad HH:MM", () => {
    expect(
      problemsAfter((d) => {
        d.kiosk["timezone"] = "Europe/Przykladowo";
        d.catalog[0]!["validFrom"] = "2026-02-30";
        d["endOfDay"] = { time: "24:00" };
      }),
    ).toEqual([
      '/catalog/0/validFrom: must match format "date"',
      '/endOfDay/time: must match pattern "^([01][0-9]|2[0-3]):[0-5][0-9]$"',
    ]);
    expect(
      problemsAfter((d) => {
        d.kiosk["timezone"] = "Europe/Przykladowo";
      }),
    ).toEqual(["/kiosk/timezone: unknown time zone Europe/Przykladowo"]);
  });

  it("unknown properties, wrong enums and a missing device", () => {
    const problems = problemsAfter((d) => {
      d.office["fax"] = "none";
      (d.slips as Record<string, unknown>)["offlinePolicy"] = "maybe";
      delete (d["devices"] as Record<string, unknown>)["printer"];
    });
    expect(problems).toEqual([
      "/office/fax: unknown property",
      "/slips/offlinePolicy: must be one of refuse, accept",
      "/devices/printer: is required",
    ]);
  });

  it("a PIN hash whose cost parameters are out of range", () => {
    expect(
      problemsAfter((d) => {
        d.service["pinHash"] =
          "scrypt$1000$8$1$4RZLjgJct1usS0Ykdkf3+g==$nig1vXgz3XrQ+kcd/XQkUFkqIWWPo7daVv+xpaB3ZCM=";
      }),
    ).toEqual(["/service/pinHash: pinHash N must be a power of two between 1024 and 2^20"]);
  });

  it("a device protocol or transport type that does not exist, naming the ones that do", () => {
    expect(
      problemsAfter((d) => {
        const devices = d["devices"] as Record<string, Record<string, unknown>>;
        devices["terminal"] = { protocol: "opi", transport: { type: "tcp", host: "x", port: 1 } };
        devices["printer"]!["transport"] = { type: "usb", path: "/dev/usb/lp0" };
        devices["scanner"] = {};
      }),
    ).toEqual([
      "/devices/terminal/protocol: must be one of zvt, fake",
      "/devices/printer/transport/type: must be one of tcp, serial, device",
      "/devices/scanner/type: is required: one of keyboard, hid, serial",
    ]);
  });

  it("inline TLS material, refused with the file field to use", () => {
    expect(
      problemsAfter((d) => {
        d.integrations["settlement"]!["tls"] = { certFile: "c.pem", keyFile: "k.pem", key: "-----BEGIN" };
      }),
    ).toEqual(["/integrations/settlement/tls/key: TLS material is never inline: use keyFile"]);
  });

  it("a YAML syntax error", () => {
    expect(() => validateConfigText("office: [unclosed", CONFIG_DIR, {})).toThrow(ConfigError);
  });

  it("names the file when it cannot be read", () => {
    expect(() => loadConfig("/nonexistent/oplatomat.yaml", {})).toThrow(
      /cannot read \/nonexistent\/oplatomat.yaml/,
    );
  });
});

describe("the kiosk's screen layout (kiosk.layout, issue 18)", () => {
  it("is optional: a kiosk that says nothing gets a portrait-or-landscape panel with the devices below it", () => {
    const config = loadConfig(path.join(CONFIG_DIR, "demo.yaml"), {});
    expect(config.kiosk.layout).toEqual({
      orientation: "auto",
      pinPad: "below-right",
      printer: "below-left",
      scanner: "below",
    });
  });

  it("takes the places of the devices, keeps defaults for the rest, and refuses unknown keys and places", () => {
    expect(
      problemsAfter((doc) => {
        doc.kiosk.layout = { orientation: "landscape", pinPad: "right" };
      }),
    ).toEqual([]);
    expect(
      problemsAfter((doc) => {
        doc.kiosk.layout = { pinPad: "above" };
      }).join("\n"),
    ).toMatch(/\/kiosk\/layout\/pinPad/);
    expect(
      problemsAfter((doc) => {
        doc.kiosk.layout = { camera: "below" };
      }).join("\n"),
    ).toMatch(/\/kiosk\/layout/);
  });
});
