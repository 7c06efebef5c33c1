import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The dev page is its own small app: built from native/devhost/page into page/dist and served by
// the devhost under a strict CSP. It imports React from node_modules and nothing from src/.
const pageRoot = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: pageRoot,
  base: "/",
  publicDir: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // An inlined module-preload polyfill would be an inline script, which the CSP refuses.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
