#!/usr/bin/env node
// Part of `npm run build`: tsc compiles only TypeScript, but some modules read files that sit beside
// them (the hub's JSON schema and SQL migrations, its page's assets). Copies every such file of the
// compiled folders into dist/ at the same place, so a module finds it relative to itself there too.
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const FOLDERS = ["kiosk", "devices", "hub", "contracts"];
const SKIP = /\.(ts|md)$/;

function copyAssets(dir) {
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(rel);
    else if (entry.isFile() && !SKIP.test(entry.name)) {
      fs.mkdirSync(path.join(ROOT, "dist", dir), { recursive: true });
      fs.copyFileSync(path.join(ROOT, rel), path.join(ROOT, "dist", rel));
    }
  }
}

for (const folder of FOLDERS) if (fs.existsSync(path.join(ROOT, folder))) copyAssets(folder);
