// `node --import tsx scripts/bench/native.run.ts`: only the native benchmark, written into BENCHMARKS.md's native section
// (the other sections stay as their last `npm run bench` left them). Builds the frontend first,
// since the package size includes it.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { nativeBench } from "./native.bench.ts";
import { summarize } from "./types.ts";

const HEADING = "## Native custom-endpoint path";

const command = (file: string, args: string[]) => execFileSync(file, args, { encoding: "utf8" }).trim();
const round = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));

execFileSync("npm", ["run", "build"], { stdio: ["ignore", "ignore", "inherit"] });
const result = await nativeBench();
const lines = [
  HEADING,
  "",
  `Run on its own (\`node --import tsx scripts/bench/native.run.ts\`): ${new Date().toISOString()}, commit ${command("git", ["rev-parse", "--short", "HEAD"])}, ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}-${process.arch}, ${command("rustc", ["--version"])}.`,
  "",
  result.method,
  "",
  "| Figure | Unit | Min | Median | Max | Runs |",
  "| --- | --- | ---: | ---: | ---: | ---: |",
  ...result.figures.map((figure) => {
    const stats = summarize(figure.samples);
    return `| ${figure.label} | ${figure.unit} | ${round(stats.min)} | ${round(stats.median)} | ${round(stats.max)} | ${stats.runs} |`;
  }),
  "",
  "| Budget | Limit | Measured | Verdict |",
  "| --- | ---: | ---: | --- |",
  ...result.budgets.map((b) => `| ${b.label} | ${b.limit} ${b.unit} | ${round(b.value)} ${b.unit} | ${b.value <= b.limit ? "pass" : "**FAIL**"} |`),
  ...(result.notes ?? []).flatMap((note) => ["", note]),
  "",
];
const document = readFileSync("BENCHMARKS.md", "utf8");
const start = document.indexOf(HEADING);
if (start < 0) throw new Error(`BENCHMARKS.md has no "${HEADING}" section`);
const next = document.indexOf("\n## ", start + HEADING.length);
writeFileSync("BENCHMARKS.md", document.slice(0, start) + lines.join("\n") + (next < 0 ? "" : document.slice(next + 1)));
console.log("BENCHMARKS.md: native section written.");
