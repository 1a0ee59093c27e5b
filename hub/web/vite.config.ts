import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The back-office page: root hub/web/, output hub/web/dist/, served by the hub at `/` (hub/web/plugin.ts).
// No module-preload polyfill: the page runs under a CSP without inline scripts.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
});
