import { invokePlugin } from "@haloforge/plugin-sdk";
import * as z from "zod/mini";
import { redact, redactError } from "../../machines/index.ts";
import type { MessageKey } from "../i18n/messages.ts";

/** What the panel says about a key or connection command: a message key and its values. Backend text in them is redacted. */
export interface CommandMessage {
  key: MessageKey;
  params?: Record<string, string | number>;
}
const UNEXPECTED: CommandMessage = { key: "connection.unexpected" };
const failure = (error: unknown): CommandMessage => ({ key: "connection.failed", params: { message: redactError(error) } });

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

async function keyCommand(command: "set_api_key" | "clear_api_key" | "api_key_status", args: Record<string, unknown> = {}) {
  try {
    const parsed = KeyStatusSchema.safeParse(await invokePlugin(command, args));
    if (!parsed.success) return { ok: false as const, error: UNEXPECTED };
    return { ok: true as const, apiKeySet: parsed.data.apiKeySet, place: keyPlace(parsed.data) };
  } catch (error) {
    return { ok: false as const, error: failure(error) };
  }
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
      detail: z.optional(z.string()),
    }),
    z.looseObject({ ok: z.literal(false), error: z.looseObject({ code: z.string(), message: z.string() }) }),
  ]),
);
export interface ConnectionResult {
  ok: boolean;
  message: CommandMessage;
}

export async function testConnection(baseUrl: string, allowInsecureHttp: boolean): Promise<ConnectionResult> {
  try {
    const answer = ConnectionSchema.safeParse(
      await invokePlugin("test_connection", { requestId: `test-${Date.now()}`, endpoint: { baseUrl, allowInsecureHttp } }),
    );
    if (!answer.success) return { ok: false, message: UNEXPECTED };
    const result = answer.data;
    if (!result.ok) return { ok: false, message: failure(new Error(result.error.message)) };
    const status = result.status ?? "?";
    if (result.authAccepted === false) return { ok: false, message: { key: "connection.keyRefused", params: { status } } };
    if (!result.modelsListed) return { ok: true, message: { key: "connection.noModelList", params: { status, detail: redact(result.detail ?? "") } } };
    return { ok: true, message: { key: "connection.connected", params: { count: result.modelCount ?? 0 } } };
  } catch (error) {
    return { ok: false, message: failure(error) };
  }
}
