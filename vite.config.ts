import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";
import { stripTestIds } from "./scripts/lib/stripTestIds.ts";

// The host loads one IIFE that registers the plugin; React and ReactDOM are the host's globals
// (the host page provides them). Vue, Pinia, XState and zod are bundled.
export default defineConfig(({ mode }) => ({
  plugins: [vue({ template: { compilerOptions: { nodeTransforms: mode === "production" ? [stripTestIds] : [] } } })],
  // Library mode leaves process.env in place; the host page has no `process`. Tests keep Node's.
  define: process.env.VITEST
    ? {}
    : {
        "process.env.NODE_ENV": JSON.stringify(mode === "development" ? "development" : "production"),
        __VUE_OPTIONS_API__: "false",
        __VUE_PROD_DEVTOOLS__: "false",
        __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
      },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    minify: mode !== "development",
    reportCompressedSize: false,
    lib: {
      entry: "src/index.ts",
      formats: ["iife"],
      name: "HaloForgeManagedImageGateway",
      fileName: () => "index.js",
      cssFileName: "styles",
    },
    rollupOptions: {
      external: ["react", "react-dom", "react-dom/client"],
      output: {
        globals: { react: "React", "react-dom": "ReactDOM", "react-dom/client": "ReactDOM" },
      },
    },
  },
  test: {
    include: ["tests/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    environment: "node",
    restoreMocks: true,
    // Browser tests poll the page; a loaded 2-core CI machine needs more than the 1 s default.
    expect: { poll: { timeout: 15_000 } },
  },
}));
