import { execFileSync } from "node:child_process";
import { outputSizes } from "../lib/sizes.ts";
import type { BenchResult } from "./types.ts";

/** Raw and gzip size of every file of the production build, against a 110 KB gzip ceiling: an alarm, not a target (cold start is). */
export async function bundleBench(): Promise<BenchResult> {
  execFileSync("npm", ["run", "build"], { stdio: "ignore" });
  const sizes = outputSizes("dist");
  const totalGzip = sizes.reduce((sum, size) => sum + size.gzip, 0);
  return {
    name: "Frontend bundle",
    method: "`npm run build` (production), then each output file read and gzipped at level 9. Deterministic: one run.",
    figures: sizes.flatMap((size) => [
      { label: `${size.file} raw`, unit: "KB", samples: [size.raw / 1024] },
      { label: `${size.file} gzip`, unit: "KB", samples: [size.gzip / 1024] },
    ]),
    budgets: [{ label: "whole frontend (JS + CSS), gzip, ceiling", limit: 110, unit: "KB", value: totalGzip / 1024 }],
  };
}
