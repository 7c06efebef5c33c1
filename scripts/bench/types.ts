/** One measured quantity over repeated runs. */
export interface Figure {
  label: string;
  unit: string;
  samples: number[];
}

export interface Budget {
  label: string;
  limit: number;
  unit: string;
  value: number;
}

export interface BenchResult {
  name: string;
  method: string;
  figures: Figure[];
  budgets: Budget[];
  notes?: string[];
}

export type Benchmark = () => Promise<BenchResult>;

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { min: sorted[0]!, median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]!, runs: sorted.length };
}
