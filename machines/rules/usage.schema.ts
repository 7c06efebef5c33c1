// OpenAI's `usage` of an image answer, read at the boundary; its own file so the call events'
// types (gatewayCall.ts) and the answer schemas can both name it without importing each other.
import * as z from "zod/mini";

const count = () => z.optional(z.number().check(z.int(), z.nonnegative()));
/** Token counts only (anything else a provider adds is dropped). Built on first parse (z.lazy). */
export const UsageSchema = z.lazy(() =>
  z.object({
    input_tokens: count(),
    output_tokens: count(),
    total_tokens: count(),
    input_tokens_details: z.optional(z.object({ text_tokens: count(), image_tokens: count() })),
  }),
);
export type Usage = z.infer<typeof UsageSchema>;
