#!/usr/bin/env node
// `npm run build:daemon`: the release build of the daemon and both command lines (kiosk, hub) as one
// esbuild bundle in dist/. Node 20's ES module loader spent ~460 ms of CPU importing ~730 files at
// every start (issue 17, docs/benchmarks.md); a bundle is a few dozen files.
//
// Layout: dist/kiosk/cli.js and dist/hub/cli.js are what bin/oplatomat.mjs loads; every literal
// `import("…")` (a command, the daemon, the reports, a simulator) becomes its own file, and the code
// they share sits in dist/chunks/, so a command still loads only what it runs. Modules find their data
// files from the package root (contracts/install-layout.ts), never beside themselves.
//
// Kept out of the bundle, loaded from node_modules at run time (each is in `dependencies`, so
// `npm ci --omit=dev` installs it): native addons (better-sqlite3, serialport's bindings, node-hid),
// packages that read files beside their own modules (pdfkit's font metrics, @fastify/swagger-ui's
// static/ page, PGlite's WebAssembly and data), and iconv-lite (it loads its encoding tables from
// node_modules when first asked; bundled, all of them were parsed at every start). Modules loaded
// through createRequire (ajv for a schema changed after the build, receiptline, fastify's schema
// compilers) stay outside by construction. Two packages in the bundle look beside themselves only
// where the daemon never goes: @fastify/swagger reads its own package.json for a default title (the
// kiosk gives one; the read fails quietly), pino starts worker files only for transports (unused).
//
//   node scripts/build-daemon.mjs [--metafile FILE]   (FILE: esbuild's account of every input's bytes)
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, "dist");
const { values } = parseArgs({ options: { metafile: { type: "string" } } });

const EXTERNAL = [
  "better-sqlite3",
  "serialport",
  "@serialport/*",
  "node-hid",
  "pdfkit",
  "@fastify/swagger-ui",
  "@electric-sql/pglite",
  "iconv-lite",
];
// fastify's default schema compilers (with ajv and fast-json-stringify): the kiosk compiles its route
// schemas on first use through kiosk/http/lazy-schema-compilers.ts, which loads them from fastify's own
// dependencies; fastify itself requires them only when given no compilers (the hub).
const FASTIFY_OWN = ["@fastify/ajv-compiler", "@fastify/fast-json-stringify-compiler"];

const FASTIFY_SERVER = /node_modules[\\/]fastify[\\/]lib[\\/]server\.js$/;
// Modules replaced in the bundle by a stand-in that loads them at their first call (each says why),
// where the given importers require them.
const DEFERRED = {
  glob: { shim: path.join(ROOT, "scripts", "build-shims", "glob.mjs"), from: /node_modules/ },
  "node:http2": { shim: path.join(ROOT, "scripts", "build-shims", "http2.mjs"), from: FASTIFY_SERVER },
  "node:https": { shim: path.join(ROOT, "scripts", "build-shims", "https.mjs"), from: FASTIFY_SERVER },
};
const deferred = {
  name: "deferred",
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(DEFERRED).join("|")})$`);
    b.onResolve({ filter }, (args) => {
      const { shim, from } = DEFERRED[args.path];
      return from.test(args.importer) ? { path: shim } : undefined;
    });
  },
};

// Node's own modules are required, not imported, in the bundle. An ES module import of a builtin makes
// Node build its module namespace, which reads every export, and some exports are getters that load
// more of Node on first read: on Node 24 `import http from "node:http"` loads undici (for http's
// WebSocket, CloseEvent and MessageEvent): ~70 modules, 1 MB of the binary and 1-1.5 MB of heap it never
// uses (docs/benchmarks.md, "Memory, third pass"). Each import of a builtin from our sources becomes a
// one-line CommonJS module that requires it; esbuild's interop reads a named import at its use, so a
// getter runs only for an export the code touches.
const BUILTINS = new Set(builtinModules);
const builtinsRequired = {
  name: "builtins-required",
  setup(b) {
    b.onResolve({ filter: /^[a-z_/:]+$/ }, (args) =>
      args.kind === "import-statement" && BUILTINS.has(args.path.replace(/^node:/, ""))
        ? { path: args.path.replace(/^node:/, ""), namespace: "builtin-required" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "builtin-required" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
      loader: "js",
    }));
  },
};

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
for (const name of EXTERNAL.filter((n) => !n.includes("*"))) {
  if (!pkg.dependencies?.[name]) throw new Error(`build-daemon: external ${name} is not in dependencies`);
}

fs.rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ["kiosk/cli.ts", "hub/cli.ts"],
  outdir: OUT,
  outbase: ".",
  entryNames: "[dir]/[name]",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: [...EXTERNAL, ...FASTIFY_OWN],
  plugins: [deferred, builtinsRequired],
  // CommonJS packages inside an ES module bundle call require() for Node's own modules: give them one.
  banner: {
    js: 'import { createRequire as __oplatomatCreateRequire } from "node:module"; const require = __oplatomatCreateRequire(import.meta.url);',
  },
  // Whitespace and syntax minified: the daemon keeps its modules' source text in the heap, and this
  // took ~6 MB off its RSS after 200 payments (docs/benchmarks.md); renaming identifiers too took ~3 MB
  // more but would make stack traces and heap snapshots unreadable without source maps. Function and
  // class names stay as written (keepNames: the bundle's own renames do not show either).
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: false,
  // No source maps: Node would not read them without --enable-source-maps, and that costs memory.
  sourcemap: false,
  legalComments: "none",
  metafile: Boolean(values.metafile),
  logLevel: "warning",
});
if (values.metafile) fs.writeFileSync(values.metafile, JSON.stringify(result.metafile));
