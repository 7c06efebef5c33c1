import { invokePlugin } from "@haloforge/plugin-sdk";
import * as z from "zod/mini";
import type { EndpointDescription } from "../../machines/index.ts";
import { endpointWire } from "./endpointWire.ts";

// The models an endpoint profile lists (`list_models`, free). Only suggestions: a model a profile
// does not list may still be typed and sent.

const ModelsAnswerSchema = z.lazy(() =>
  z.object({
    ok: z.literal(true),
    models: z.array(z.object({ id: z.string().check(z.minLength(1), z.maxLength(200)), image: z.nullable(z.boolean()) })).check(z.maxLength(2_000)),
    fetchedAt: z.number(),
  }),
);
export type ListedModels = z.infer<typeof ModelsAnswerSchema>;

export async function listModels(endpoint: EndpointDescription): Promise<ListedModels | { ok: false }> {
  try {
    const answer = ModelsAnswerSchema.safeParse(await invokePlugin("list_models", { requestId: `models-${Date.now()}`, endpoint: endpointWire(endpoint), timeoutMs: 10_000 }));
    return answer.success ? answer.data : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** The model ids to suggest: those the listing marks as image models, else (it says nothing) all of them. */
export function suggestedModels(models: readonly { id: string; image: boolean | null }[]): string[] {
  const images = models.filter((model) => model.image === true);
  return (images.length ? images : models.filter((model) => model.image !== false)).map((model) => model.id);
}
