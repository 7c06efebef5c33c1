import { execFileSync } from "node:child_process";
import type { BenchResult } from "./types.ts";

/** Runs the native example benchmark (release build) and reports its JSON figures. */
export async function nativeBench(): Promise<BenchResult> {
  const output = execFileSync(
    "cargo",
    ["run", "--quiet", "--release", "--locked", "--manifest-path", "native/Cargo.toml", "-p", "managed-image-gateway", "--example", "bench_native"],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 },
  );
  const json = JSON.parse(output.slice(output.indexOf("{"))) as Record<string, unknown>;
  return {
    name: "Native custom-endpoint path",
    method: "`cargo run --release --example bench_native` in native/plugin: the plugin's command path versus a direct HTTP call to the same local fake provider, and peak RSS handling 4 × 2 MB of base64, plain and streamed (one partial per image, polled every 20 ms; goal: the streamed rise at most 1.25 × the plain one). Raw figures from the example follow.",
    figures: [],
    budgets: [],
    notes: ["```json", JSON.stringify(json, null, 2), "```"],
  };
}
