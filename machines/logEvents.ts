import type { GatewayKind } from "./gatewayCall.ts";
import type { Usage } from "./rules/gatewayAnswers.schema.ts";
import { summarize } from "./redact.ts";

export type LogEventName = "started" | "succeeded" | "failed" | "cancelled";

/** Exactly the diagnostic fields of a request's log line (id, gateway, operation, model, size,
 * count, status, elapsed time, outputs, prompt length, HTTP status, error summary, provider request
 * id), plus the answer's token counts (never a cost or a price); nothing else from the request ever
 * reaches a log. */
export interface RequestLogEvent {
  event: LogEventName;
  requestId: string;
  gateway: GatewayKind;
  operation: "generate" | "edit";
  model: string;
  size: string;
  count: number;
  status: string;
  elapsedMs: number;
  outputCount: number;
  promptLength: number;
  httpStatus?: number;
  errorSummary?: string;
  providerRequestId?: string;
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

export interface LogEventSource {
  requestId: string;
  gateway: GatewayKind;
  operation: "generate" | "edit";
  model: string;
  size: string;
  count: number;
  promptLength: number;
}

const optionalCount = (key: string, value: number | undefined) => (value === undefined ? {} : { [key]: value });

export function buildLogEvent(
  event: LogEventName,
  source: LogEventSource,
  outcome: {
    status: string;
    elapsedMs: number;
    outputCount: number;
    httpStatus?: number;
    error?: string;
    providerRequestId?: string;
    usage?: Usage;
    secrets?: readonly string[];
  },
): RequestLogEvent {
  return {
    event,
    ...source,
    status: outcome.status,
    elapsedMs: Math.max(0, Math.round(outcome.elapsedMs)),
    outputCount: outcome.outputCount,
    ...(outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
    ...(outcome.error ? { errorSummary: summarize(outcome.error, 200, outcome.secrets) } : {}),
    ...(outcome.providerRequestId ? { providerRequestId: summarize(outcome.providerRequestId, 80) } : {}),
    ...optionalCount("inputTokens", outcome.usage?.input_tokens),
    ...optionalCount("outputTokens", outcome.usage?.output_tokens),
    ...optionalCount("totalTokens", outcome.usage?.total_tokens),
  };
}

export interface LoggerPort {
  debug(message: string, details?: unknown): unknown;
  info(message: string, details?: unknown): unknown;
  warn(message: string, details?: unknown): unknown;
}

/**
 * Routes request log events to the SDK logger. Custom-endpoint requests are logged by the Rust
 * backend, so the frontend keeps only a debug trace of them.
 */
export function createLogSink(logger: LoggerPort) {
  return (event: RequestLogEvent): void => {
    const message = `image request ${event.event}`;
    if (event.gateway === "custom") logger.debug(message, event);
    else if (event.event === "failed") logger.warn(message, event);
    else logger.info(message, event);
  };
}
