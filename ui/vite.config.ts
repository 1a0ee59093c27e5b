import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Root is ui/, output ui/dist/, relative base so the daemon can serve the files at `/` (or anywhere).
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
  },
});
