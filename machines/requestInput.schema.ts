import { z } from "zod";
import { sizeProblem } from "./sizeRules.ts";

export const PROMPT_MAX = 32_000;
export const N_MAX = 10;
export const EDIT_IMAGES_MAX = 16;
// Every PNG starts with the same 8 bytes; in base64 they read "iVBORw0KGgo".
const PNG_BASE64_PREFIX = "iVBORw0KGgo";

export const ImageFileSchema = z.object({
  fileName: z.string().min(1, "needs a file name"),
  contentType: z.string().regex(/^image\/(?:png|jpeg|webp)$/, "must be a PNG, JPEG or WebP image"),
  base64: z.string().min(1, "is empty").regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64 without a data: prefix"),
});
export type ImageFile = z.infer<typeof ImageFileSchema>;

const common = {
  prompt: z
    .string()
    .refine((prompt) => prompt.trim().length > 0, "must not be empty")
    .refine((prompt) => prompt.length <= PROMPT_MAX, `must be at most ${PROMPT_MAX.toLocaleString("en")} characters`),
  model: z.string().trim().min(1, "must be chosen"),
  size: z.string(),
  n: z.number().int(`must be a whole number from 1 to ${N_MAX}`).min(1, `must be from 1 to ${N_MAX}`).max(N_MAX, `must be from 1 to ${N_MAX}`),
  quality: z.enum(["auto", "low", "medium", "high", "standard", "hd"]).optional(),
  outputFormat: z.enum(["png", "jpeg", "webp"]).optional(),
  outputCompression: z.number().int().min(0).max(100).optional(),
  background: z.enum(["auto", "transparent", "opaque"]).optional(),
};

const checkSize = (input: { size: string; model: string }, ctx: z.RefinementCtx) => {
  const problem = sizeProblem(input.size, input.model);
  if (problem) ctx.addIssue({ code: "custom", path: ["size"], message: problem });
};

export const GenerateInputSchema = z.object({ operation: z.literal("generate"), ...common }).superRefine(checkSize);

export const EditInputSchema = z
  .object({
    operation: z.literal("edit"),
    ...common,
    images: z
      .array(ImageFileSchema)
      .min(1, "an edit needs at least one reference image")
      .max(EDIT_IMAGES_MAX, `an edit takes at most ${EDIT_IMAGES_MAX} reference images`),
    mask: ImageFileSchema.refine(
      (mask) => mask.contentType === "image/png" && mask.base64.startsWith(PNG_BASE64_PREFIX),
      "the mask must be a PNG image",
    ).optional(),
  })
  .superRefine(checkSize);

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
