import type { SnapshotFrom } from "xstate";
import type { GatewayKind, ImageOutput } from "./gatewayTypes.ts";
import { FAILURE_HINTS, type FixKey, type GatewayLabelKey, type HintKey, type ReasonKey } from "./labels.ts";
import type { orchestratorMachine } from "./orchestrator.machine.ts";
import { FINAL_PHASES, type RequestContext, type RequestPhase, type requestMachine } from "./request.machine.ts";
import type { InputProblem } from "./requestInput.schema.ts";

/** Everything the panel shows about one request: plain, JSON-serialisable, no secrets. */
export interface RequestView {
  id: string;
  phase: RequestPhase;
  final: boolean;
  operation?: "generate" | "edit";
  model?: string;
  size?: string;
  count?: number;
  promptPreview?: string;
  gateway?: { kind: GatewayKind; labelKey: GatewayLabelKey };
  attempt: number;
  maxAttempts: number;
  createdAt: number;
  elapsedMs: number;
  nextAttemptAt?: number;
  retryInMs?: number;
  outputs: ImageOutput[];
  error?: {
    code: string;
    summary: string;
    hint: HintKey;
    hintText: string;
    mayHaveBeenBilled: boolean;
    status?: number;
    /** Set for invalid input: each field and the rule it breaks. */
    problems?: InputProblem[];
    /** Set when no gateway was usable: i18n keys of the reason and of the action that fixes it. */
    reason?: ReasonKey;
    fix?: FixKey;
  };
  providerRequestId?: string;
  timeline: { phase: RequestPhase; at: number; attempt: number }[];
}

const PROMPT_PREVIEW = 120;

export function selectRequestView(snapshot: SnapshotFrom<typeof requestMachine>, now: number): RequestView {
  const context: RequestContext = snapshot.context;
  const phase = snapshot.value as RequestPhase;
  const final = FINAL_PHASES.includes(phase);
  const input = context.input;
  const end = context.endedAt ?? now;
  return {
    id: context.id,
    phase,
    final,
    ...(input
      ? {
          operation: input.operation,
          model: input.model,
          size: input.size,
          count: input.n,
          promptPreview: input.prompt.length > PROMPT_PREVIEW ? `${input.prompt.slice(0, PROMPT_PREVIEW - 1)}…` : input.prompt,
        }
      : {}),
    ...(context.gateway ? { gateway: { ...context.gateway } } : {}),
    attempt: context.attempt,
    maxAttempts: context.settings.maxRetries + 1,
    createdAt: context.createdAt,
    elapsedMs: Math.max(0, end - context.createdAt),
    ...(phase === "waitingRetry" && context.nextAttemptAt !== undefined
      ? { nextAttemptAt: context.nextAttemptAt, retryInMs: Math.max(0, context.nextAttemptAt - now) }
      : {}),
    outputs: context.outputs.map((output) => ({ ...output })),
    ...(context.error
      ? {
          error: {
            code: context.error.code,
            summary: context.error.summary,
            hint: context.error.hint,
            hintText: FAILURE_HINTS[context.error.hint],
            mayHaveBeenBilled: context.error.mayHaveBeenBilled,
            ...(context.error.status !== undefined ? { status: context.error.status } : {}),
            ...(context.error.problems ? { problems: context.error.problems.map((problem) => ({ ...problem })) } : {}),
            ...(context.error.reason ? { reason: context.error.reason } : {}),
            ...(context.error.fix ? { fix: context.error.fix } : {}),
          },
        }
      : {}),
    ...(context.providerRequestId ? { providerRequestId: context.providerRequestId } : {}),
    timeline: context.timeline.map((step) => ({ ...step })),
  };
}

/** Views of every request of the orchestrator, oldest first. */
export function selectRequestViews(snapshot: SnapshotFrom<typeof orchestratorMachine>, now: number): RequestView[] {
  return snapshot.context.requests.map((entry) => selectRequestView(entry.ref.getSnapshot(), now));
}
