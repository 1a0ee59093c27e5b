#!/usr/bin/env node
// Part of `npm run build`, after the bundle: some modules read data files that sit among the sources
// (the hub's JSON schema and SQL migrations, its page's assets). Copies every such file of the bundled
// folders into dist/ at the same place, where a build looks for them (shippedFile in
// contracts/install-layout.ts).
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
