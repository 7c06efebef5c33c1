// zod/mini: the same validation as zod at a fraction of the bundle size.
import * as z from "zod/mini";
import { sizeProblem } from "./sizeRules.ts";
import { modelOptionProblems } from "./modelOptions.ts";

export const PROMPT_MAX = 32_000;
export const N_MAX = 10;
export const EDIT_IMAGES_MAX = 16;
// Every PNG starts with the same 8 bytes; in base64 they read "iVBORw0KGgo".
const PNG_BASE64_PREFIX = "iVBORw0KGgo";

export const ImageFileSchema = z.object({
  fileName: z.string().check(z.minLength(1, "needs a file name")),
  contentType: z.string().check(z.regex(/^image\/(?:png|jpeg|webp)$/, "must be a PNG, JPEG or WebP image")),
  base64: z.string().check(z.minLength(1, "is empty"), z.regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64 without a data: prefix")),
});
export type ImageFile = z.infer<typeof ImageFileSchema>;

const common = {
  prompt: z.string().check(
    z.refine((prompt) => prompt.trim().length > 0, "must not be empty"),
    z.refine((prompt) => prompt.length <= PROMPT_MAX, `must be at most ${PROMPT_MAX.toLocaleString("en")} characters`),
  ),
  model: z.string().check(z.refine((model) => model.trim().length > 0, "must be chosen")),
  size: z.string(),
  n: z.number().check(
    z.refine((n) => Number.isInteger(n), `must be a whole number from 1 to ${N_MAX}`),
    z.refine((n) => n >= 1 && n <= N_MAX, `must be from 1 to ${N_MAX}`),
  ),
  quality: z.optional(z.enum(["auto", "low", "medium", "high", "standard", "hd"])),
  outputFormat: z.optional(z.enum(["png", "jpeg", "webp"])),
  outputCompression: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(100))),
  background: z.optional(z.enum(["auto", "transparent", "opaque"])),
};

const checkSize = z.superRefine((input: { size: string; model: string }, ctx) => {
  const problem = sizeProblem(input.size, input.model);
  if (problem) ctx.addIssue({ code: "custom", path: ["size"], message: problem, input: input.size });
});

// A known model's limits on quality, format and count; unknown models are left to their provider.
const checkModelOptions = z.superRefine((input: { model: string; quality?: string; outputFormat?: string; n: number }, ctx) => {
  for (const problem of modelOptionProblems(input)) {
    // A count outside 1–10 already has its own message.
    if (problem.field === "n" && !(Number.isInteger(input.n) && input.n <= N_MAX)) continue;
    ctx.addIssue({ code: "custom", path: [problem.field], message: problem.message, input: input[problem.field] });
  }
});

export const GenerateInputSchema = z.object({ operation: z.literal("generate"), ...common }).check(checkSize, checkModelOptions);

export const EditInputSchema = z
  .object({
    operation: z.literal("edit"),
    ...common,
    images: z.array(ImageFileSchema).check(
      z.minLength(1, "an edit needs at least one reference image"),
      z.maxLength(EDIT_IMAGES_MAX, `an edit takes at most ${EDIT_IMAGES_MAX} reference images`),
    ),
    mask: z.optional(
      ImageFileSchema.check(
        z.refine((mask) => mask.contentType === "image/png" && mask.base64.startsWith(PNG_BASE64_PREFIX), "the mask must be a PNG image"),
      ),
    ),
  })
  .check(checkSize, checkModelOptions);

export const RequestInputSchema = z.union([GenerateInputSchema, EditInputSchema]);
export type GenerateInput = z.infer<typeof GenerateInputSchema>;
export type EditInput = z.infer<typeof EditInputSchema>;
export type RequestInput = GenerateInput | EditInput;

export interface InputProblem {
  field: string;
  message: string;
}

/** Parses a request input; every problem names the field and the rule. */
export function validateRequestInput(input: unknown): { ok: true; input: RequestInput } | { ok: false; problems: InputProblem[] } {
  const operation = (input as { operation?: unknown } | null)?.operation;
  const schema = operation === "edit" ? EditInputSchema : GenerateInputSchema;
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, input: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.map(String).join(".") : "request",
      message: issue.message,
    })),
  };
}

export const describeProblems = (problems: InputProblem[]) =>
  problems.map((problem) => `${problem.field}: ${problem.message}`).join("; ");
