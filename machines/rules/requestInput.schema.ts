// zod/mini: the same validation as zod at a fraction of the bundle size.
import * as z from "zod/mini";
import { isInputRule, ruleText, type InputRule, type RuleParams } from "./inputRules.ts";
import { groupThousands, sizeRuleBreak } from "./sizeRules.ts";
import { INPUT_FIDELITIES, modelOptionProblems } from "./models.ts";

// The limits the native backend keeps too (tests/fixtures/shared-rules.json, section `limits`).
export const PROMPT_MAX = 32_000;
export const N_MAX = 10;
/** Images per Responses API request: the panel never sends more. */
export const RESPONSES_N_MAX = 4;
export const EDIT_IMAGES_MAX = 16;
export const COMPRESSION_MAX = 100;
/** Streamed partial images per image. */
export const PARTIAL_IMAGES_MAX = 3;
/** The largest seed any provider we send one to takes (SiliconFlow's). */
export const SEED_MAX = 9_999_999_999;
/** A negative prompt is a short list of things to leave out, not a second prompt. */
export const NEGATIVE_PROMPT_MAX = 2_000;

// Every check's message is the rule it enforces (inputRules.ts); validateRequestInput words it.
// The values fixed here are the rules' parameters. Made per problem, not at evaluation: the first
// number formatted with a locale loads that locale's data, which costs the panel's cold start
// about 20 ms of CPU.
const FIXED_PARAMS: Partial<Record<InputRule, () => RuleParams>> = {
  promptTooLong: () => ({ max: groupThousands(PROMPT_MAX) }),
  countRange: () => ({ max: N_MAX }),
  imagesMax: () => ({ max: EDIT_IMAGES_MAX }),
  seedRange: () => ({ max: groupThousands(SEED_MAX) }),
  negativePromptTooLong: () => ({ max: groupThousands(NEGATIVE_PROMPT_MAX) }),
};
const fixedParams = (rule: InputRule): RuleParams | undefined => FIXED_PARAMS[rule]?.();

// The schemas are built on first use, each operation's on its first input: building them costs
// milliseconds at the panel's evaluation, and an edit schema is needed only once a user edits.
const imageFileSchema = () =>
  z.object({
    fileName: z.string().check(z.minLength(1, "fileName")),
    contentType: z.string().check(z.regex(/^image\/(?:png|jpeg|webp)$/, "imageType")),
    // The image's bytes: base64 exists only where the request leaves for the host or the native backend.
    blob: z.instanceof(Blob),
  });

const commonShape = () => ({
  prompt: z.string().check(
    z.refine((prompt) => prompt.trim().length > 0, "promptEmpty"),
    z.refine((prompt) => prompt.length <= PROMPT_MAX, "promptTooLong"),
  ),
  model: z.string().check(z.refine((model) => model.trim().length > 0, "modelEmpty")),
  size: z.string(),
  // An emptied count field (NaN) breaks the same rule as 0 or 11, not zod's "Invalid input".
  n: z.number("countRange").check(
    z.refine((n) => Number.isInteger(n) && n >= 1 && n <= N_MAX, "countRange"),
  ),
  // A known model's qualities are checked below; a model left to its provider may take others (xhigh).
  quality: z.optional(z.string().check(z.minLength(1), z.maxLength(20))),
  outputFormat: z.optional(z.enum(["png", "jpeg", "webp"])),
  outputCompression: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(COMPRESSION_MAX))),
  background: z.optional(z.enum(["auto", "transparent", "opaque"])),
  // Only for providers that take them (their profile's fields say so).
  seed: z.optional(z.number("seedRange").check(z.refine((seed) => Number.isInteger(seed) && seed >= 0 && seed <= SEED_MAX, "seedRange"))),
  negativePrompt: z.optional(z.string().check(z.refine((text) => text.length <= NEGATIVE_PROMPT_MAX, "negativePromptTooLong"))),
});

const checkSize = () =>
  z.superRefine((input: { size: string; model: string }, ctx) => {
    const broken = sizeRuleBreak(input.size, input.model);
    if (broken) ctx.addIssue({ code: "custom", path: ["size"], message: broken.rule, params: broken.params, input: input.size });
  });

// A known model's limits on quality, format and count; unknown models are left to their provider.
const checkModelOptions = () =>
  z.superRefine((input: Parameters<typeof modelOptionProblems>[0], ctx) => {
    for (const problem of modelOptionProblems(input)) {
      // A count outside 1–10 already has its own message.
      if (problem.field === "n" && !(Number.isInteger(input.n) && input.n <= N_MAX)) continue;
      ctx.addIssue({ code: "custom", path: [problem.field], message: problem.rule, params: problem.params, input: input[problem.field] });
    }
  });

const generateInputSchema = () => z.object({ operation: z.literal("generate"), ...commonShape() }).check(checkSize(), checkModelOptions());

const editInputSchema = () =>
  z
    .object({
      operation: z.literal("edit"),
      ...commonShape(),
      inputFidelity: z.optional(z.enum(INPUT_FIDELITIES)),
      images: z.array(imageFileSchema()).check(
        z.minLength(1, "imagesMin"),
        z.maxLength(EDIT_IMAGES_MAX, "imagesMax"),
      ),
      mask: z.optional(
        imageFileSchema().check(
          z.refine((mask) => mask.contentType === "image/png", "maskPng"),
        ),
      ),
    })
    .check(checkSize(), checkModelOptions());

let generateSchema: ReturnType<typeof generateInputSchema> | undefined;
let editSchema: ReturnType<typeof editInputSchema> | undefined;

export type ImageFile = z.infer<ReturnType<typeof imageFileSchema>>;
export type GenerateInput = z.infer<ReturnType<typeof generateInputSchema>>;
export type EditInput = z.infer<ReturnType<typeof editInputSchema>>;
export type RequestInput = GenerateInput | EditInput;

/** A field that breaks a rule: `rule` and `params` when it is one of ours (the panel words those), and an English message. */
export interface InputProblem {
  field: string;
  message: string;
  rule?: InputRule;
  params?: RuleParams;
}

/** A request input as parsed: the input, or every rule it breaks. */
export type InputValidation = { ok: true; input: RequestInput } | { ok: false; problems: InputProblem[] };

/** Parses a request input; every problem names the field and the rule. */
export function validateRequestInput(input: unknown): InputValidation {
  const operation = (input as { operation?: unknown } | null)?.operation;
  const schema = operation === "edit" ? (editSchema ??= editInputSchema()) : (generateSchema ??= generateInputSchema());
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, input: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "request";
      // zod's own type errors (a malformed input, not a user's choice) keep zod's wording.
      if (!isInputRule(issue.message)) return { field, message: issue.message };
      const rule = issue.message;
      const params = { ...fixedParams(rule), ...(issue.code === "custom" ? issue.params : undefined) };
      return { field, message: ruleText({ rule, params }), rule, ...(Object.keys(params).length ? { params } : {}) };
    }),
  };
}

export const describeProblems = (problems: InputProblem[]) =>
  problems.map((problem) => `${problem.field}: ${problem.message}`).join("; ");
