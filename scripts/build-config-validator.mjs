#!/usr/bin/env node
// Part of `npm run build`, after tsc: compiles config/schema.json with ajv once, here, and writes the
// validator as standalone code beside dist/kiosk/config/schema-validator.js, stamped with the schema's
// hash (kiosk/config/schema-validator.ts). The daemon then starts without compiling the schema or
// loading ajv; a schema edited after the build no longer matches the stamp and is compiled at start.
import fs from "node:fs";
import path from "node:path";

const built = path.resolve(import.meta.dirname, "..", "dist", "kiosk", "config", "schema-validator.js");
const { standaloneValidatorCode, SCHEMA_PATH, PRECOMPILED_FILE } = await import(built);
const code = standaloneValidatorCode(fs.readFileSync(SCHEMA_PATH, "utf8"));
fs.writeFileSync(path.join(path.dirname(built), PRECOMPILED_FILE), code);
