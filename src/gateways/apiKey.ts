import { invokePlugin } from "@haloforge/plugin-sdk";
import * as z from "zod/mini";
import { redact } from "../../machines/index.ts";

// The API key goes straight to the native backend; the frontend only ever learns set / not set.

const KeyStatusSchema = z.object({ ok: z.literal(true), apiKeySet: z.boolean() });

async function keyCommand(command: "set_api_key" | "clear_api_key" | "api_key_status", args: Record<string, unknown> = {}) {
  try {
    const parsed = KeyStatusSchema.safeParse(await invokePlugin(command, args));
    return parsed.success ? { ok: true as const, apiKeySet: parsed.data.apiKeySet } : { ok: false as const, error: "Unexpected answer from the native backend." };
  } catch (error) {
    return { ok: false as const, error: redact(error instanceof Error ? error.message : String(error)) };
  }
}

export const saveApiKey = (apiKey: string) => keyCommand("set_api_key", { apiKey });
export const clearApiKey = () => keyCommand("clear_api_key");
export const apiKeyStatus = () => keyCommand("api_key_status");

const ConnectionSchema = z.union([
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
]);
export type ConnectionResult = { ok: true; text: string } | { ok: false; text: string };

export async function testConnection(baseUrl: string, allowInsecureHttp: boolean): Promise<ConnectionResult> {
  try {
    const answer = ConnectionSchema.safeParse(
      await invokePlugin("test_connection", { requestId: `test-${Date.now()}`, endpoint: { baseUrl, allowInsecureHttp } }),
    );
    if (!answer.success) return { ok: false, text: "Unexpected answer from the native backend." };
    const result = answer.data;
    if (!result.ok) return { ok: false, text: redact(result.error.message) };
    if (result.authAccepted === false) return { ok: false, text: `Reachable, but the key was refused (HTTP ${result.status ?? "?"}).` };
    if (!result.modelsListed) return { ok: true, text: redact(`Reachable (HTTP ${result.status ?? "?"}); no model list. ${result.detail ?? ""}`.trim()) };
    return { ok: true, text: `Connected: ${result.modelCount ?? 0} models listed.` };
  } catch (error) {
    return { ok: false, text: redact(error instanceof Error ? error.message : String(error)) };
  }
}
