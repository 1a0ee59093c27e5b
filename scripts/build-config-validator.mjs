#!/usr/bin/env node
// Part of `npm run build`, after the bundle: compiles config/schema.json with ajv once, here, and writes
// the validator as standalone code into dist/ (kiosk/config/schema-validator.ts says where), stamped
// with the schema's hash. The daemon then starts without compiling the schema or loading ajv; a schema
// edited after the build no longer matches the stamp and is compiled at start. Runs the validator's
// sources through tsx (a development dependency, as the build is).
import fs from "node:fs";
import path from "node:path";
import { register } from "tsx/esm/api";

register();
const ROOT = path.resolve(import.meta.dirname, "..");
const { standaloneValidatorCode, SCHEMA_PATH, PRECOMPILED_FILE } = await import(
  "../kiosk/config/schema-validator.ts"
);
const code = standaloneValidatorCode(fs.readFileSync(SCHEMA_PATH, "utf8"));
const out = path.join(ROOT, "dist", PRECOMPILED_FILE);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, code);
