import { invokePlugin } from "@haloforge/plugin-sdk";
import * as z from "zod/mini";
import { factsOf, failureFromNativeError, failureSentence, NativeErrorSchema, redact, type ConnectionAnswer, type EndpointDescription, type FailureFacts } from "../../machines/index.ts";
import { UNEXPECTED, type CommandMessage } from "./apiKey.ts";
import { checkBaseUrl } from "./baseUrl.ts";
import { endpointWire } from "./endpointWire.ts";
import { listModels } from "./models.ts";

// The answer's schema is built on its first parse (z.lazy), after the panel's first paint.
const ConnectionSchema = z.lazy(() =>
  z.union([
    z.looseObject({
      ok: z.literal(true),
      reachable: z.boolean(),
      authAccepted: z.nullable(z.boolean()),
      modelsListed: z.boolean(),
      modelCount: z.optional(z.number()),
      /** The listed model ids (or list_models' `{ id, image }`), where the backend names them. */
      models: z.optional(z.array(z.union([z.string(), z.object({ id: z.string(), image: z.nullable(z.boolean()) })]))),
      status: z.optional(z.number()),
      /** The provider's own words about a refusal (the backend's `detail` is its own English, for the log). */
      providerMessage: z.optional(z.string()),
    }),
    z.looseObject({ ok: z.literal(false), error: NativeErrorSchema }),
  ]),
);
export interface ConnectionResult {
  ok: boolean;
  /** The models the endpoint listed, when it lists them. */
  models?: { id: string; image: boolean | null }[];
  fetchedAt?: number;
  message: CommandMessage;
  /** What the test proved about the endpoint (absent when the check itself could not run). */
  outcome?: { ok: true } | { ok: false; failure: FailureFacts };
}

/**
 * The core's connection test (`PanelEffects.testConnection`): a URL that breaks its rules is said
 * without a call; an endpoint that answers is asked for its models (free), which the result lists.
 */
export async function testEndpoint(endpoint: EndpointDescription): Promise<ConnectionAnswer> {
  const check = checkBaseUrl(endpoint.baseUrl, endpoint.allowInsecureHttp);
  if (!check.ok) return { ok: false, message: { key: `baseUrl.${check.problem}` } };
  const normalized = { ...endpoint, baseUrl: check.normalized };
  const result = await testConnection(normalized);
  if (!result.ok) return result;
  const listed = await listModels(normalized);
  return listed.ok ? { ...result, models: listed.models, fetchedAt: listed.fetchedAt } : result;
}

export async function testConnection(endpoint: EndpointDescription): Promise<ConnectionResult> {
  try {
    const answer = ConnectionSchema.safeParse(
      await invokePlugin("test_connection", { requestId: `test-${Date.now()}`, endpoint: endpointWire(endpoint) }),
    );
    if (!answer.success) return { ok: false, message: UNEXPECTED };
    const result = answer.data;
    if (!result.ok) {
      // Worded from the code and reason, like a request's failure.
      const failure = factsOf(failureFromNativeError(result.error));
      const sentence = failureSentence(failure);
      return { ok: false, message: { key: `failure.${sentence.key}`, ...(sentence.params ? { params: sentence.params } : {}) }, outcome: { ok: false, failure } };
    }
    const status = result.status ?? "?";
    if (result.authAccepted === false) {
      return { ok: false, message: { key: "connection.keyRefused", params: { status } }, outcome: { ok: false, failure: { code: "unauthorized", ...(result.status ? { status: result.status } : {}) } } };
    }
    if (!result.modelsListed) {
      return result.providerMessage
        ? { ok: true, message: { key: "connection.noModelListSaid", params: { status, quote: redact(result.providerMessage) } }, outcome: { ok: true } }
        : { ok: true, message: { key: "connection.noModelList", params: { status } }, outcome: { ok: true } };
    }
    return { ok: true, message: { key: "connection.connected", params: { count: result.modelCount ?? result.models?.length ?? 0 } }, outcome: { ok: true }, ...(result.models ? { models: result.models.map((model) => (typeof model === "string" ? { id: model, image: null } : model)) } : {}) };
  } catch {
    return { ok: false, message: { key: "connection.commandFailed" } };
  }
}
