// npm run bench: runs every benchmark on this machine and rewrites BENCHMARKS.md.
// npm run bench -- --only coldstart,bundle: runs those and replaces only their sections; the
// others keep the figures (and the date and machine) of the run that wrote them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { arrivalBench } from "./arrival/arrival.bench.ts";
import { bundleBench } from "./bundle.bench.ts";
import { coldStartBench } from "./coldstart.bench.ts";
import { machinesBench } from "./machines.bench.ts";
import { nativeBench } from "./native.bench.ts";
import { panelBench } from "./panel.bench.ts";
import { streamingBench } from "./streaming.bench.ts";
import { summarize, type Benchmark, type BenchResult } from "./types.ts";

// Cold start first: it is what a user waits for when opening the module.
const BENCHMARKS: Record<string, Benchmark> = {
  coldstart: coldStartBench,
  bundle: bundleBench,
  panel: panelBench,
  streaming: streamingBench,
  arrival: arrivalBench,
  machines: machinesBench,
  native: nativeBench,
};
const FILE = "BENCHMARKS.md";
const SUMMARY = "## Budgets at a glance";

const { values } = parseArgs({ options: { only: { type: "string" } } });
const only = values.only?.split(",").map((name) => name.trim());
const unknown = only?.filter((name) => !(name in BENCHMARKS));
if (unknown?.length) throw new Error(`unknown benchmark ${unknown.join(", ")}; one of ${Object.keys(BENCHMARKS).join(", ")}`);

const command = (file: string, args: string[]) => {
  try {
    // stderr ignored: Debian's chromium wrapper prints a shell warning on --version.
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unavailable";
  }
};

const round = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}-${process.arch}`;
const date = new Date().toISOString();
const commit = command("git", ["rev-parse", "--short", "HEAD"]);

/** One benchmark's section; it says when, where and on which commit it was measured. */
function section(result: BenchResult): string {
  // The load others put on the machine while it ran: wall times on a loaded 2-core machine mostly wait for the CPU.
  const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores when it finished`;
  const lines = [`## ${result.name}`, "", `Measured ${date.slice(0, 10)} on ${machine} (commit ${commit}; ${load}).`, "", result.method, ""];
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
  return lines.join("\n");
}

/**
 * The sections of the file as it is, by heading (the summary and the header left out). A section
 * written before sections said when they were measured gets the old header's date and machine.
 */
function sectionsOnFile(): Map<string, string> {
  const kept = new Map<string, string>();
  if (!existsSync(FILE)) return kept;
  const text = readFileSync(FILE, "utf8");
  const oldDate = /^- Date: (\S+)$/m.exec(text)?.[1];
  const oldMachine = /^- Machine: (.+)$/m.exec(text)?.[1];
  const oldCommit = /^- Commit: (\w+)$/m.exec(text)?.[1];
  for (const part of text.split(/^(?=## )/m)) {
    const heading = /^## (.+)$/m.exec(part)?.[1];
    if (!part.startsWith("## ") || !heading || `## ${heading}` === SUMMARY) continue;
    // One newline at the end, as `section` writes it: the join puts the blank line between sections.
    let body = `${part.replace(/\n+$/, "")}\n`;
    if (!/^Measured \S+ on /m.test(body) && oldDate && oldMachine) body = body.replace(/^(## .+\n\n)/, `$1Measured ${oldDate.slice(0, 10)} on ${oldMachine} (commit ${oldCommit ?? "unknown"}).\n\n`);
    kept.set(heading, body);
  }
  return kept;
}

/** Every budget row of every section, with the date and machine of the run that measured it. */
function summary(sections: string[]): string {
  const rows = sections.flatMap((text) => {
    const name = /^## (.+)$/m.exec(text)?.[1] ?? "";
    const measured = /^Measured (\S+) on ([^(]+?)(?: \(commit [^)]*\))?\.$/m.exec(text);
    const where = measured ? `${measured[1]}, ${measured[2]!.split(",")[0]}` : "not stated";
    return [...text.matchAll(/^\| (.+?) \| ([^|]+) \| ([^|]+) \| (pass|\*\*FAIL\*\*) \|$/gm)].map(
      (row) => `| ${name}: ${row[1]} | ${row[2]!.trim()} | ${row[3]!.trim()} | ${row[4]} | ${where} |`,
    );
  });
  return [SUMMARY, "", "| Budget | Limit | Measured | Verdict | Measured on |", "| --- | ---: | ---: | --- | --- |", ...rows, ""].join("\n");
}

const fresh = new Map<string, string>();
for (const [key, benchmark] of Object.entries(BENCHMARKS)) {
  if (only && !only.includes(key)) continue;
  const result = await benchmark();
  console.log(`${result.name}: done`);
  fresh.set(result.name, section(result));
}
// A partial run keeps the other sections as they were, in their order after the fresh ones' places.
const previous = only ? sectionsOnFile() : new Map<string, string>();
const order = [...new Set([...previous.keys(), ...fresh.keys()])];
const sections = order.map((name) => fresh.get(name) ?? previous.get(name)!);
const header = [
  "# Benchmarks",
  "",
  "Written by `npm run bench`; do not edit by hand. Figures are min / median / max over the runs",
  "shown. Compare ratios within one run: the machine is shared and noisy. Each section says when",
  "and where it was measured (`npm run bench -- --only <names>` reruns some of them).",
  "",
  `- Last written: ${date} (commit ${commit}${only ? `; ${only.join(", ")} only` : ""})`,
  `- Machine: ${machine}`,
  `- Node ${process.version}, ${command("rustc", ["--version"])}, ${command("/usr/bin/chromium", ["--version"])}`,
  "",
];
writeFileSync(FILE, [...header, summary(sections), ...sections].join("\n"));
console.log(`${FILE} written.`);
