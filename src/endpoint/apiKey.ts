import { invokePlugin } from "@haloforge/plugin-sdk";
import * as z from "zod/mini";
import { factsOf, failureFromNativeError, failureSentence, NativeErrorSchema, redact, type FailureFacts } from "../../machines/index.ts";
import type { MessageKey } from "../i18n/messages.ts";

/** What the panel says about a key or connection command: a message key and its values, worded
 * here from codes; only the provider's own words (`quote`) are passed through, redacted. */
export interface CommandMessage {
  key: MessageKey;
  params?: Record<string, string | number>;
}
const UNEXPECTED: CommandMessage = { key: "connection.unexpected" };
/** The command itself could not run (the IPC call threw): the backend's text is not shown. */
const COMMAND_FAILED = { set_api_key: "key.saveFailed", clear_api_key: "key.clearFailed", api_key_status: "key.statusFailed" } as const;

// The API key goes straight to the native backend; the frontend only ever learns set / not set
// and where the backend keeps it: the system keychain, or the owner-only plugin data file when no
// credential store could take it (`notice` says why).

// The answers' schemas are built on their first parse (z.lazy), after the panel's first paint.
const KeyStatusSchema = z.lazy(() =>
  z.object({
    ok: z.literal(true),
    apiKeySet: z.boolean(),
    storage: z.optional(z.enum(["keychain", "file"])),
    notice: z.optional(z.enum(["keychain_unavailable", "key_unreadable"])),
  }),
);
type KeyStatus = z.infer<typeof KeyStatusSchema>;

/** The one line that says where the key is kept (or why none can be read); never the key. */
function keyPlace({ apiKeySet, storage, notice }: KeyStatus): MessageKey | undefined {
  if (notice === "key_unreadable" && !apiKeySet) return "settings.keyPlace.unreadable";
  if (!apiKeySet || !storage) return undefined;
  if (storage === "keychain") return "settings.keyPlace.keychain";
  return notice === "keychain_unavailable" ? "settings.keyPlace.fileFallback" : "settings.keyPlace.file";
}

// A refusal the backend answers (`{ ok: false, error }`): a key of the wrong shape, or another code.
const KeyRefusalSchema = z.lazy(() => z.object({ ok: z.literal(false), error: NativeErrorSchema }));

async function keyCommand(command: keyof typeof COMMAND_FAILED, args: Record<string, unknown> = {}) {
  let answer: unknown;
  try {
    answer = await invokePlugin(command, args);
  } catch {
    return { ok: false as const, error: { key: COMMAND_FAILED[command] } satisfies CommandMessage };
  }
  const parsed = KeyStatusSchema.safeParse(answer);
  if (parsed.success) return { ok: true as const, apiKeySet: parsed.data.apiKeySet, place: keyPlace(parsed.data) };
  const refusal = KeyRefusalSchema.safeParse(answer);
  if (!refusal.success) return { ok: false as const, error: UNEXPECTED };
  return { ok: false as const, error: refusal.data.error.reason === "api_key_format" ? ({ key: "key.format" } satisfies CommandMessage) : { key: COMMAND_FAILED[command] } };
}

export const saveApiKey = (apiKey: string) => keyCommand("set_api_key", { apiKey });
export const clearApiKey = () => keyCommand("clear_api_key");
export const apiKeyStatus = () => keyCommand("api_key_status");

const ConnectionSchema = z.lazy(() =>
  z.union([
    z.looseObject({
      ok: z.literal(true),
      reachable: z.boolean(),
      authAccepted: z.nullable(z.boolean()),
      modelsListed: z.boolean(),
      modelCount: z.optional(z.number()),
      status: z.optional(z.number()),
      /** The provider's own words about a refusal (the backend's `detail` is its own English, for the log). */
      providerMessage: z.optional(z.string()),
    }),
    z.looseObject({ ok: z.literal(false), error: NativeErrorSchema }),
  ]),
);
export interface ConnectionResult {
  ok: boolean;
  message: CommandMessage;
  /** What the test proved about the endpoint (absent when the check itself could not run). */
  outcome?: { ok: true } | { ok: false; failure: FailureFacts };
}

export async function testConnection(baseUrl: string, allowInsecureHttp: boolean): Promise<ConnectionResult> {
  try {
    const answer = ConnectionSchema.safeParse(
      await invokePlugin("test_connection", { requestId: `test-${Date.now()}`, endpoint: { baseUrl, allowInsecureHttp } }),
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
    return { ok: true, message: { key: "connection.connected", params: { count: result.modelCount ?? 0 } }, outcome: { ok: true } };
  } catch {
    return { ok: false, message: { key: "connection.commandFailed" } };
  }
}
