import { invokePlugin } from "@haloforge/plugin-sdk";
import * as z from "zod/mini";
import { NativeErrorSchema, type KeyAnswer, type KeyCommand } from "../../machines/index.ts";
import type { MessageKey } from "../i18n/messages.ts";

/** What the panel says about a key or connection command: a message key and its values, worded
 * here from codes; only the provider's own words (`quote`) are passed through, redacted. */
export interface CommandMessage {
  key: MessageKey;
  params?: Record<string, string | number>;
}
export const UNEXPECTED: CommandMessage = { key: "connection.unexpected" };
/** The command itself could not run (the IPC call threw): the backend's text is not shown. */
const COMMAND_FAILED = { set_api_key: "key.saveFailed", clear_api_key: "key.clearFailed", api_key_status: "key.statusFailed", adopt_legacy_key: "key.statusFailed" } as const;

// The API key goes straight to the native backend, for one profile and the origin of one base URL
// (only that origin ever receives it); the frontend only ever learns set / not set and where the
// backend keeps it: the system keychain, or the owner-only plugin data file when no credential
// store could take it (`notice` says why).

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

async function keyCommand(command: keyof typeof COMMAND_FAILED, args: Record<string, unknown>) {
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

export const saveApiKey = (profileId: string, baseUrl: string, apiKey: string) => keyCommand("set_api_key", { profileId, baseUrl, apiKey });
export const clearApiKey = (profileId: string) => keyCommand("clear_api_key", { profileId });
export const apiKeyStatus = (profileId: string) => keyCommand("api_key_status", { profileId });

// The one-time move of an older version's key (kept without a profile) to a profile.
const AdoptSchema = z.lazy(() => z.object({ ok: z.literal(true), adopted: z.boolean(), storage: z.optional(z.enum(["keychain", "file"])) }));
async function adoptLegacyKey(profileId: string, baseUrl: string): Promise<KeyAnswer> {
  let answer: unknown;
  try {
    answer = await invokePlugin("adopt_legacy_key", { profileId, baseUrl });
  } catch {
    return { ok: false, error: { key: COMMAND_FAILED.adopt_legacy_key } };
  }
  const parsed = AdoptSchema.safeParse(answer);
  if (!parsed.success) return { ok: false, error: UNEXPECTED };
  const { adopted, storage } = parsed.data;
  return { ok: true, adopted, apiKeySet: adopted, ...(adopted && storage ? { place: keyPlace({ ok: true, apiKeySet: true, storage }) } : {}) };
}

/** The core's key command (`PanelEffects.keyCommand`) on the native backend. */
export function runKeyCommand(command: KeyCommand): Promise<KeyAnswer> {
  switch (command.command) {
    case "save":
      return saveApiKey(command.profileId, command.baseUrl, command.apiKey);
    case "clear":
      return clearApiKey(command.profileId);
    case "adopt":
      return adoptLegacyKey(command.profileId, command.baseUrl);
    default:
      return apiKeyStatus(command.profileId);
  }
}

