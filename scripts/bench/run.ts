// npm run bench: runs every benchmark on this machine and rewrites BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { arrivalBench } from "./arrival/arrival.bench.ts";
import { bundleBench } from "./bundle.bench.ts";
import { coldStartBench } from "./coldstart.bench.ts";
import { machinesBench } from "./machines.bench.ts";
import { nativeBench } from "./native.bench.ts";
import { panelBench } from "./panel.bench.ts";
import { streamingBench } from "./streaming.bench.ts";
import { summarize, type Benchmark, type BenchResult } from "./types.ts";

// Cold start first: it is what a user waits for when opening the module.
const benchmarks: Benchmark[] = [coldStartBench, bundleBench, panelBench, streamingBench, arrivalBench, machinesBench, nativeBench];

const command = (file: string, args: string[]) => {
  try {
    // stderr ignored: Debian's chromium wrapper prints a shell warning on --version.
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unavailable";
  }
};

const round = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));

function render(results: BenchResult[]): string {
  const lines = [
    "# Benchmarks",
    "",
    "Written by `npm run bench`; do not edit by hand. Figures are min / median / max over the runs",
    "shown. Compare ratios within one run: the machine is shared and noisy.",
    "",
    `- Date: ${new Date().toISOString()}`,
    `- Commit: ${command("git", ["rev-parse", "--short", "HEAD"])}`,
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}-${process.arch}`,
    `- Node ${process.version}, ${command("rustc", ["--version"])}, ${command("/usr/bin/chromium", ["--version"])}`,
    "",
  ];
  for (const result of results) {
    lines.push(`## ${result.name}`, "", result.method, "");
    if (result.figures.length > 0) lines.push("| Figure | Unit | Min | Median | Max | Runs |", "| --- | --- | ---: | ---: | ---: | ---: |");
    for (const figure of result.figures) {
      const stats = summarize(figure.samples);
      lines.push(`| ${figure.label} | ${figure.unit} | ${round(stats.min)} | ${round(stats.median)} | ${round(stats.max)} | ${stats.runs} |`);
    }
    if (result.budgets.length > 0) {
      lines.push("", "| Budget | Limit | Measured | Verdict |", "| --- | ---: | ---: | --- |");
      for (const budget of result.budgets) {
        const verdict = budget.value <= budget.limit ? "pass" : "**FAIL**";
        lines.push(`| ${budget.label} | ${budget.limit} ${budget.unit} | ${round(budget.value)} ${budget.unit} | ${verdict} |`);
      }
    }
    for (const note of result.notes ?? []) lines.push("", note);
    lines.push("");
  }
  return lines.join("\n");
}

const results: BenchResult[] = [];
for (const benchmark of benchmarks) {
  const result = await benchmark();
  console.log(`${result.name}: done`);
  results.push(result);
}
writeFileSync("BENCHMARKS.md", render(results));
console.log("BENCHMARKS.md written.");
