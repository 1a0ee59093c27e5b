/**
 * The validator of config/schema.json. Compiling the schema with ajv was a quarter of the daemon's
 * start (issue 17, docs/benchmarks.md), so `npm run build` writes the compiled validator into dist/
 * as standalone code (scripts/build-config-validator.mjs) and a build loads that instead. The sources,
 * and a build whose schema.json no longer matches the one it was compiled from (checked by hash),
 * compile the schema at first use. ajv itself is loaded only then: a build starts without it.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ErrorObject, Options } from "ajv";
import { COMPILED, ROOT, shippedFile } from "../../contracts/install-layout.ts";
import { compileCacheDir, loadCommonJs } from "./code-cache.ts";

export type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

export const SCHEMA_PATH = path.join(ROOT, "config", "schema.json");
/** The standalone validator's file in the build (written by scripts/build-config-validator.mjs only). */
export const PRECOMPILED_FILE = "kiosk/config/config-schema.validator.cjs";
// verbose: errors carry their schema, so a wrong device protocol can list the right ones.
const OPTIONS: Options = { allErrors: true, strict: true, discriminator: true, verbose: true };

const require = createRequire(import.meta.url);
let cached: Validator | undefined;

export function schemaHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Compiles the schema with ajv (and the formats it uses); `source` keeps the code for standalone output. */
export function compileConfigSchema(
  schema: object,
  source = false,
): { ajv: import("ajv/dist/2020.js").Ajv2020; validate: import("ajv").ValidateFunction } {
  // Required, not imported: a build with the precompiled validator never loads ajv.
  const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  const ajv = new Ajv2020({ ...OPTIONS, ...(source ? { code: { source: true } } : {}) });
  // ajv-formats is CommonJS: its module object is the plugin function.
  const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;
  addFormats(ajv, ["date", "uri"]);
  return { ajv, validate: ajv.compile(schema) };
}

/** The build's standalone validator of `schemaText`: a CommonJS module stamped with the schema's hash. */
export function standaloneValidatorCode(schemaText: string): string {
  const standaloneCode = (require("ajv/dist/standalone") as typeof import("ajv/dist/standalone/index.js"))
    .default;
  const { ajv, validate } = compileConfigSchema(JSON.parse(schemaText), true);
  const stamp = `module.exports.schemaSha256 = ${JSON.stringify(schemaHash(schemaText))};`;
  return `${standaloneCode(ajv, validate)}\n${stamp}\n`;
}

/**
 * The validator. A build's precompiled one is loaded afresh at each call and not kept: the daemon
 * validates its configuration once, at start, and its 210 KB of code would otherwise stay in memory for
 * the daemon's life (docs/benchmarks.md, "Memory and start-up, fourth pass"). One compiled by ajv is kept.
 */
export function configSchemaValidator(): Validator {
  if (cached) return cached;
  const text = readFileSync(SCHEMA_PATH, "utf8");
  const built = COMPILED ? precompiledValidator(shippedFile(PRECOMPILED_FILE), text) : undefined;
  if (built) return built;
  cached = compileConfigSchema(JSON.parse(text)).validate;
  return cached;
}

/**
 * The standalone validator in `file` when it exists and was compiled from `schemaText`. Nothing of Node's
 * module system keeps it, so it is freed once the caller lets go of the validator. Its V8 code cache
 * (code-cache.ts) is written after its first validation, so the next start compiles none of it.
 */
export function precompiledValidator(
  file: string,
  schemaText: string,
  cacheDir = compileCacheDir(),
): Validator | undefined {
  if (!existsSync(file)) return undefined;
  const load = loadCommonJs(file, readFileSync(file, "utf8"), cacheDir);
  const built = load.exports as Validator & { schemaSha256?: string };
  if (built.schemaSha256 !== schemaHash(schemaText)) return undefined;
  const validate: Validator = (data: unknown) => {
    const valid = built(data);
    validate.errors = built.errors ?? null;
    load.save();
    return valid;
  };
  return validate;
}
