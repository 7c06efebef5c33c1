import type { RequestTarget } from "../request.machine.ts";
import { expandBatch, type BatchProblem } from "./batchExpansion.ts";
import { resolveGateway, type GatewayInputs, type GatewayMode } from "./gatewayResolution.ts";
import type { ReasonKey } from "../labels.ts";

/** How the composer sends: the prompt as written, one request per line and variant, or one prompt to several targets. */
export type RunMode = "single" | "batch" | "compare";
export const RUN_MODES: readonly RunMode[] = ["single", "batch", "compare"];

/** One column of a compare: a gateway (mode, or with `custom` an endpoint profile by id) and a model. */
export interface CompareTarget {
  mode: GatewayMode;
  /** With mode `custom`: the profile the column goes out through (its endpoint and key). */
  profileId?: string;
  model: string;
}

/** What the composer knows of an endpoint profile a compare target names. */
export interface ProfileTargetFacts {
  /** The user-given name: what the column and its problems say. */
  name: string;
  /** Its base URL is set and passes the URL rules. */
  valid: boolean;
  /** Its provider takes a key (every auth but `none`). */
  needsKey: boolean;
  /** The native backend's answer on whether its key is saved; undefined until it answered. */
  keySet?: boolean;
}

/** The facts a compare's targets are checked against: the gateway selection's, and every profile by id. */
export interface CompareFacts extends Omit<GatewayInputs, "mode"> {
  profiles: Readonly<Record<string, ProfileTargetFacts>>;
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
  | { key: "compare.unavailable"; params: { target: number }; reason: ReasonKey }
  /** A target names a profile that no longer exists. */
  | { key: "compare.profileGone"; params: { target: number } }
  /** A target's profile has no usable base URL, or no key where its provider takes one. */
  | { key: "compare.profileNoUrl" | "compare.profileNoKey"; params: { target: number; name: string } };

export type BatchPlan = { ok: true; kind: "batch" | "compare"; items: BatchItem[] } | { ok: false; problem: BatchProblem | CompareProblem };

const { min: COMPARE_MIN, max: COMPARE_MAX } = COMPARE_TARGETS;

/** A batch: the composer's request once per prompt its text expands to. */
export function planBatch(request: Record<string, unknown> & { prompt: string }): BatchPlan {
  const expansion = expandBatch(request.prompt);
  if (!expansion.ok) return expansion;
  return { ok: true, kind: "batch", items: expansion.prompts.map((prompt) => ({ input: { ...request, prompt } })) };
}

/** Two targets are the same column: the same gateway (the same profile) and the same model. */
const sameTarget = (a: CompareTarget, b: CompareTarget) => a.mode === b.mode && a.profileId === b.profileId && a.model.trim() === b.model.trim();

/** Why a target naming a profile cannot be sent now, if it cannot. */
function profileProblem(profileId: string, target: number, facts: CompareFacts): CompareProblem | undefined {
  const profile = facts.profiles[profileId];
  if (!profile) return { key: "compare.profileGone", params: { target } };
  if (!profile.valid) return { key: "compare.profileNoUrl", params: { target, name: profile.name } };
  if (profile.needsKey && profile.keySet === false) return { key: "compare.profileNoKey", params: { target, name: profile.name } };
  return undefined;
}

/**
 * A compare: the composer's request (prompt and options as written) once per target, with the
 * target's model, pinned to its gateway or profile. Refused before sending when there are not 2 to
 * 4 targets, two are the same, one has no model, one's profile is gone, has no usable base URL or
 * no key where its provider takes one, or one's gateway is unavailable now (a signed-out gateway
 * would only fail its column): the composer keeps everything and says which, by column number.
 */
export function planCompare(request: Record<string, unknown>, targets: readonly CompareTarget[], facts: CompareFacts): BatchPlan {
  if (targets.length < COMPARE_MIN || targets.length > COMPARE_MAX) return { ok: false, problem: { key: "compare.count", params: { min: COMPARE_MIN, max: COMPARE_MAX } } };
  for (const [index, target] of targets.entries()) {
    if (!target.model.trim()) return { ok: false, problem: { key: "compare.noModel", params: { target: index + 1 } } };
    const first = targets.findIndex((other) => sameTarget(other, target));
    if (first < index) return { ok: false, problem: { key: "compare.same", params: { first: first + 1, second: index + 1 } } };
    const problem = target.profileId !== undefined ? profileProblem(target.profileId, index + 1, facts) : undefined;
    if (problem) return { ok: false, problem };
    if (target.profileId !== undefined) continue;
    const resolution = resolveGateway({ ...facts, mode: target.mode });
    if (resolution.status === "unavailable") return { ok: false, problem: { key: "compare.unavailable", params: { target: index + 1 }, reason: resolution.reason } };
  }
  return {
    ok: true,
    kind: "compare",
    items: targets.map((target) => ({ input: { ...request, model: target.model.trim() }, target: target.profileId !== undefined ? { mode: "custom" as const, profileId: target.profileId } : { mode: target.mode } })),
  };
}
