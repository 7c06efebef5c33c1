import type { RequestTarget } from "../request.machine.ts";
import { expandBatch, type BatchProblem } from "./batchExpansion.ts";
import { resolveGateway, type GatewayInputs, type GatewayMode } from "./gatewayResolution.ts";
import type { ReasonKey } from "../labels.ts";

/** How the composer sends: the prompt as written, one request per line and variant, or one prompt to several targets. */
export type RunMode = "single" | "batch" | "compare";
export const RUN_MODES: readonly RunMode[] = ["single", "batch", "compare"];

/** One column of a compare: a gateway (mode) and a model. An endpoint profile becomes one more kind of target. */
export interface CompareTarget {
  mode: GatewayMode;
  model: string;
}

/** One request of a batch: its input, and for a compare the gateway it is pinned to. */
export interface BatchItem {
  input: unknown;
  target?: RequestTarget;
}

/** A compare sends one prompt to this many targets. */
export const COMPARE_TARGETS = { min: 2, max: 4 } as const;

export type CompareProblem =
  | { key: "compare.count"; params: { min: number; max: number } }
  | { key: "compare.same"; params: { first: number; second: number } }
  | { key: "compare.noModel"; params: { target: number } }
  /** A target's gateway cannot take requests now (signed out, not configured): the reason's key. */
  | { key: "compare.unavailable"; params: { target: number }; reason: ReasonKey };

export type BatchPlan = { ok: true; kind: "batch" | "compare"; items: BatchItem[] } | { ok: false; problem: BatchProblem | CompareProblem };

const { min: COMPARE_MIN, max: COMPARE_MAX } = COMPARE_TARGETS;

/** A batch: the composer's request once per prompt its text expands to. */
export function planBatch(request: Record<string, unknown> & { prompt: string }): BatchPlan {
  const expansion = expandBatch(request.prompt);
  if (!expansion.ok) return expansion;
  return { ok: true, kind: "batch", items: expansion.prompts.map((prompt) => ({ input: { ...request, prompt } })) };
}

/**
 * A compare: the composer's request (prompt and options as written) once per target, with the
 * target's model, pinned to its gateway. Refused before sending when there are not 2 to 4 targets,
 * two are the same, one has no model, or one's gateway is unavailable now (a signed-out gateway
 * would only fail its column): the composer keeps everything and says which.
 */
export function planCompare(request: Record<string, unknown>, targets: readonly CompareTarget[], gateway: Omit<GatewayInputs, "mode">): BatchPlan {
  if (targets.length < COMPARE_MIN || targets.length > COMPARE_MAX) return { ok: false, problem: { key: "compare.count", params: { min: COMPARE_MIN, max: COMPARE_MAX } } };
  for (const [index, target] of targets.entries()) {
    if (!target.model.trim()) return { ok: false, problem: { key: "compare.noModel", params: { target: index + 1 } } };
    const first = targets.findIndex((other) => other.mode === target.mode && other.model.trim() === target.model.trim());
    if (first < index) return { ok: false, problem: { key: "compare.same", params: { first: first + 1, second: index + 1 } } };
    const resolution = resolveGateway({ ...gateway, mode: target.mode });
    if (resolution.status === "unavailable") return { ok: false, problem: { key: "compare.unavailable", params: { target: index + 1 }, reason: resolution.reason } };
  }
  return { ok: true, kind: "compare", items: targets.map((target) => ({ input: { ...request, model: target.model.trim() }, target: { mode: target.mode } })) };
}
