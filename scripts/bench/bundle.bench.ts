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
    notes: [
      "**What the growth of 2026-12-07 bought** (99.2 → 138.4 KB gzip JS; each branch built alone on the tree before it, ed05114): endpoint profiles +10.8 KB (eleven provider presets with the fields each takes, the profile schemas and their repair, the profile list and editor, about 60 string pairs in two languages); the studio +22.5 KB (history ZIP export and import with fflate, which the host's one-file IIFE inlines even behind a dynamic import; the size picker, shortcuts sheet, requested-against-actual, reuse); batch runs and compare, and the image thumbnails, the remaining 5.9 KB. Nothing of it can load later: the host loads one `index.js`. Later the same day, 138.4 → 144 KB: a batch's results under one header, compare across endpoint profiles, the answer's echo and seed beside what was asked, and providers' own size terms with the seed and negative-prompt fields (four branches merged together; not built alone).",
    ],
  };
}
