import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { cargoLibraryFileName, currentNativeTarget } from "../lib/nativeTarget.ts";
import type { Budget, BenchResult, Figure } from "./types.ts";

/**
 * The cargo profiles compared (native/Cargo.toml): the shipped one and those it was chosen over.
 * Each is built once (cached in native/target/<profile>/ afterwards) and benchmarked in this run.
 */
const PROFILES = [
  { profile: "release", what: 'release (shipped): opt-level "s" (a few cold crates "z"), fat LTO, 1 codegen unit, symbols stripped' },
  { profile: "release-z", what: 'release-z: the same with opt-level "z" for every crate' },
  { profile: "release-speed", what: "release-speed: the same with opt-level 3 (the cold crates still \"z\")" },
  { profile: "release-default", what: "release-default: Cargo's default release profile (opt-level 3, no LTO, 16 codegen units, symbols kept)" },
] as const;

const MB = 1024 * 1024;
/** "Library ≤ 4 MB" and ".hfpkg ≤ 2 MB" in bytes, so they hold whether MB means 10^6 or 2^20. */
const LIBRARY_BUDGET_BYTES = 4_000_000;
const PACKAGE_BUDGET_BYTES = 2_000_000;
/** "No loss of speed": the shipped profile's latency against the default profile's, same run (noise margin). */
const SPEED_BUDGET_RATIO = 1.1;
/** Streaming may raise the peak RSS of a 4 × 2 MB answer by at most a quarter over the plain path's. */
const STREAM_MEMORY_BUDGET_RATIO = 1.25;

/** Rounds over all profiles, each starting with another profile, so drift on the shared machine hits them alike. */
const ROUNDS = 3;

interface Latency {
  answer: string;
  native_p50_ms: number;
  overhead_p50_ms: number;
  native_cpu_p50_ms: number;
}

interface Report {
  latency: Latency[];
  peak_rss: { peak_rise_bytes: number };
  peak_rss_stream: { peak_rise_bytes: number };
}

const cargo = (args: string[]) => execFileSync("cargo", [...args, "--quiet", "--locked", "--manifest-path", "native/Cargo.toml", "-p", "managed-image-gateway"], { stdio: "inherit" });

/** Builds the benchmark example and the library (the example's build does not make the cdylib) under `profile`; the library's size. */
function build(profile: string): number {
  cargo(["build", "--profile", profile, "--example", "bench_native"]);
  cargo(["build", "--profile", profile, "--lib"]);
  return statSync(join("native", "target", profile, cargoLibraryFileName(currentNativeTarget()))).size;
}

const example = (profile: string) => join("native", "target", profile, "examples", "bench_native");

/**
 * The fake provider every profile's run talks to: the default profile's build. The example runs
 * it as a child; built under the profile being compared, its own work for an 8 MB answer (the
 * PNG, base64, JSON: three times the plugin's CPU time) counted against that profile, and it is no part
 * of the shipped library.
 */
const PROVIDER_PROFILE = "release-default";

function benchProfile(profile: string): { json: Record<string, unknown>; report: Report } {
  const env = { ...process.env, BENCH_NATIVE_PROVIDER: example(PROVIDER_PROFILE) };
  const output = execFileSync(example(profile), { encoding: "utf8", env, stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
  const json = JSON.parse(output.slice(output.indexOf("{"))) as Record<string, unknown>;
  return { json, report: json as unknown as Report };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Packs with the release library and the bundle the bundle benchmark built; the .hfpkg's size. */
function packageSize(): number {
  execFileSync("npx", ["tsx", "scripts/plugin-pack.ts", "--no-frontend"], { stdio: ["ignore", "ignore", "inherit"] });
  const file = readdirSync("dist").find((name) => name.endsWith(".hfpkg"));
  if (!file) throw new Error("plugin:pack wrote no .hfpkg into dist/");
  return statSync(join("dist", file)).size;
}

/**
 * The profiler's account of the 8 MB answer (`perf record` on `bench_native loop 30`, 2026-12-07,
 * 2 × AMD EPYC shared by eight builds): kept with the figures so a budget failure can be read
 * against it; measure again when the answer path changes.
 */
const WHERE_THE_TIME_GOES = [
  "**Where an 8 MB answer's time goes** (perf on `bench_native loop 30`, 2026-12-07, this machine, eight builds sharing it). Built under the profile being compared, the fake provider's threads took 60 % of the run's CPU samples (the PNG, its CRC, base64, the JSON escape scan): the 1.27–1.39× of earlier runs measured the provider's build as much as the plugin's, so the provider is now always the release-default build. Of the plugin's own ~10 ms of CPU per call, the base64 character check was the largest part (1.9 ms at opt-level 3; 13–21 ms at \"s\" in isolation, where the loop vectorizer is off); it is now a table look-up eight bytes to a step, 1.8 ms at either level. The rest is the same under every profile or small: three copies of the body (socket → chunk → body buffer → the JSON string, in libc's memmove), serde_json's string scan (~1.1 ms) and UTF-8 validation (~0.4 ms). After the change, six interleaved runs of release and release-default gave the plugin's CPU time on the 8 MB answer as 9.9 and 10.1 ms (medians, 0.97×), while wall time swung with run order (0.90× with release-default first, 1.47× with release first) and the direct HTTP path, the same code in both, swung with it.",
  "Tried and dropped: sizing the body buffer from Content-Length doubled the CPU per call (9.5–10.2 → 19.3–19.9 ms: a fresh 8 MB allocation faulted in page by page, where the growing buffer reused freed memory). Per-crate opt-level 3 (serde_json and the plugin crate) was not carried through: with the check fixed, the CPU ratio met 1.1× at the shipped library's size (3,968,888 bytes, unchanged; release-speed, opt-level 3 everywhere, is 4,419,656 bytes, over the 4,000,000 budget).",
];

/** Runs the native example benchmark under each profile, interleaved, and reports latency, size, memory and their budgets. */
export async function nativeBench(): Promise<BenchResult> {
  const runs = PROFILES.map(({ profile, what }) => ({ profile, what, bytes: build(profile), reports: [] as Report[], json: {} as Record<string, unknown> }));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < runs.length; i++) {
      const run = runs[(round + i) % runs.length]!;
      const { json, report } = benchProfile(run.profile);
      run.reports.push(report);
      run.json = json;
    }
  }
  const packageBytes = packageSize();
  const p50 = (run: (typeof runs)[number], answer: number, key: "native_p50_ms" | "overhead_p50_ms" | "native_cpu_p50_ms") => run.reports.map((r) => r.latency[answer]![key]);
  const figures: Figure[] = [];
  for (const run of runs) {
    figures.push({ label: `${run.profile}: native library (${process.platform}-${process.arch})`, unit: "bytes", samples: [run.bytes] });
    run.reports[0]!.latency.forEach((latency, answer) => {
      figures.push({ label: `${run.profile}: generate_images p50, ${latency.answer} answer`, unit: "ms", samples: p50(run, answer, "native_p50_ms") });
      figures.push({ label: `${run.profile}: overhead over direct HTTP p50, ${latency.answer} answer`, unit: "ms", samples: p50(run, answer, "overhead_p50_ms") });
      figures.push({ label: `${run.profile}: generate_images CPU time p50, ${latency.answer} answer`, unit: "ms", samples: p50(run, answer, "native_cpu_p50_ms") });
    });
  }
  figures.push({ label: "release: .hfpkg (frontend + release library)", unit: "bytes", samples: [packageBytes] });
  const [shipped, , , fallback] = runs;
  const plainRise = shipped!.reports.map((r) => r.peak_rss.peak_rise_bytes);
  const streamRise = shipped!.reports.map((r) => r.peak_rss_stream.peak_rise_bytes);
  figures.push({ label: "release: peak RSS rise, plain answer 4 × 2 MB", unit: "MB", samples: plainRise.map((b) => b / MB) });
  figures.push({ label: "release: peak RSS rise, streamed answer 4 × 2 MB (one partial each, polled every 20 ms)", unit: "MB", samples: streamRise.map((b) => b / MB) });
  const budgets: Budget[] = [
    { label: "native library, release (bytes)", limit: LIBRARY_BUDGET_BYTES, unit: "bytes", value: shipped!.bytes },
    { label: ".hfpkg (bytes)", limit: PACKAGE_BUDGET_BYTES, unit: "bytes", value: packageBytes },
    ...shipped!.reports[0]!.latency.map((latency, answer) => ({
      label: `generate_images p50 (${latency.answer}), release ÷ release-default (medians of ${ROUNDS} rounds)`,
      limit: SPEED_BUDGET_RATIO,
      unit: "×",
      value: median(p50(shipped!, answer, "native_p50_ms")) / median(p50(fallback!, answer, "native_p50_ms")),
    })),
    ...shipped!.reports[0]!.latency.map((latency, answer) => ({
      label: `generate_images CPU time p50 (${latency.answer}), release ÷ release-default (medians of ${ROUNDS} rounds)`,
      limit: SPEED_BUDGET_RATIO,
      unit: "×",
      value: median(p50(shipped!, answer, "native_cpu_p50_ms")) / median(p50(fallback!, answer, "native_cpu_p50_ms")),
    })),
    { label: `peak RSS rise, streamed ÷ plain (4 × 2 MB, release, medians of ${ROUNDS} rounds)`, limit: STREAM_MEMORY_BUDGET_RATIO, unit: "×", value: median(streamRise) / median(plainRise) },
  ];
  return {
    name: "Native custom-endpoint path",
    method: `The example \`bench_native\` in native/plugin, built under each profile and run ${ROUNDS} times per profile, interleaved (each round starts with another profile): the plugin's command path versus a direct HTTP call to the same local fake provider (always the ${PROVIDER_PROFILE} build, so only the plugin's code changes between profiles), in wall time and in the bench process's CPU time (the scheduler's per-thread counters; unlike wall time, not inflated while other processes hold the shared CPUs), and peak RSS handling 4 × 2 MB of base64, plain and streamed (one partial per image, polled every 20 ms; goal: the streamed rise at most 1.25 × the plain one); the size of each profile's library, and of the package \`plugin:pack\` writes with the release one. Profiles: ${PROFILES.map((p) => p.what).join("; ")}. Raw figures of the shipped profile's last round follow.`,
    figures,
    budgets,
    notes: [...WHERE_THE_TIME_GOES, "```json", JSON.stringify(shipped!.json, null, 2), "```"],
  };
}
