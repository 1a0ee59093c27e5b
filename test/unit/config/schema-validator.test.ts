import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  compileConfigSchema,
  precompiledValidator,
  schemaHash,
  SCHEMA_PATH,
  standaloneValidatorCode,
  type Validator,
} from "../../../kiosk/config/schema-validator.ts";
import { collected } from "../../helpers/collected.ts";

const SCHEMA_TEXT = fs.readFileSync(SCHEMA_PATH, "utf8");
const DEMO = parse(fs.readFileSync(path.resolve("config", "demo.yaml"), "utf8")) as Record<
  string,
  Record<string, unknown>
>;
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** The build's module, evaluated as Node would load it from dist/ (its requires resolve in the project). */
function loadStandalone(code: string): Validator {
  const module = { exports: {} as unknown };
  const projectRequire = createRequire(path.resolve("package.json"));
  new Function("module", "exports", "require", code)(module, module.exports, projectRequire);
  return module.exports as Validator;
}

/** The demo document with one change. */
function demoWith(change: (doc: typeof DEMO) => void): unknown {
  const doc = structuredClone(DEMO);
  change(doc);
  return doc;
}

const DOCUMENTS: Array<[string, unknown]> = [
  ["the demo office", DEMO],
  [
    "an unknown property, a wrong enum and a missing device",
    demoWith((d) => {
      d["office"]!["fax"] = "none";
      d["slips"]!["offlinePolicy"] = "maybe";
      delete d["devices"]!["printer"];
    }),
  ],
  [
    "device protocols and transports that do not exist (the discriminator's errors carry their schema)",
    demoWith((d) => {
      d["devices"]!["terminal"] = { protocol: "opi", transport: { type: "tcp", host: "x", port: 1 } };
      d["devices"]!["scanner"] = {};
    }),
  ],
  [
    "a date that is no date",
    demoWith(
      (d) => ((d["catalog"] as unknown as Array<Record<string, unknown>>)[0]!["validFrom"] = "2025-13-40"),
    ),
  ],
];

describe("the configuration schema's validator compiled at build time", () => {
  const atStart = compileConfigSchema(JSON.parse(SCHEMA_TEXT)).validate;
  const built = loadStandalone(standaloneValidatorCode(SCHEMA_TEXT));

  it.each(DOCUMENTS)("judges %s as the validator compiled at start does", (_name, doc) => {
    const expected = atStart(doc);
    const expectedErrors = structuredClone(atStart.errors ?? null);
    expect(built(doc)).toBe(expected);
    expect(structuredClone(built.errors ?? null)).toEqual(expectedErrors);
  });

  it("holds broken documents broken (the comparison above is not between two validators that accept anything)", () => {
    for (const [name, doc] of DOCUMENTS.slice(1)) expect(built(doc), name).toBe(false);
  });

  it("is used only when it was compiled from the schema that is there now", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-schema-"));
    tempDirs.push(dir);
    const file = path.join(dir, "validator.cjs");
    fs.writeFileSync(
      file,
      `module.exports = () => true;\nmodule.exports.schemaSha256 = ${JSON.stringify("f".repeat(64))};\n`,
    );
    expect(precompiledValidator(file, SCHEMA_TEXT)).toBeUndefined();
    expect(precompiledValidator(path.join(dir, "absent.cjs"), SCHEMA_TEXT)).toBeUndefined();
    const current = path.join(dir, "current.cjs");
    fs.writeFileSync(
      current,
      standaloneValidatorCode(SCHEMA_TEXT).replace(
        /^[\s\S]*\n(?=module\.exports\.schemaSha256)/,
        "module.exports = () => true;\n",
      ),
    );
    expect(precompiledValidator(current, SCHEMA_TEXT)).toBeTypeOf("function");
    expect(createRequire(import.meta.url).cache[current]).toBeUndefined();
  });

  it("is let go once the caller drops it, even when it required modules of its own", async () => {
    // The daemon validates once, at start; its 210 KB of code must not stay in memory after that.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "opl-schema-"));
    tempDirs.push(dir);
    fs.writeFileSync(path.join(dir, "runtime.cjs"), "module.exports = (x) => x !== null;\n");
    const file = path.join(dir, "validator.cjs");
    fs.writeFileSync(
      file,
      `const check = require("./runtime.cjs");\nmodule.exports = (data) => check(data);\nmodule.exports.schemaSha256 = ${JSON.stringify(schemaHash(SCHEMA_TEXT))};\n`,
    );
    let validator = precompiledValidator(file, SCHEMA_TEXT);
    expect(validator?.({})).toBe(true);
    const released = new WeakRef(validator as object);
    validator = undefined;
    expect(await collected(released)).toBe(true);
  });
});
