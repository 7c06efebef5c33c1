// What an answer says it made, read at the boundary: the size, quality, format and background
// OpenAI's image answers echo, and the seed a provider used. The native backend answers it as
// `echo` (camelCase); the managed gateway's answer may carry OpenAI's own top-level fields. Its
// own file so the call events (gatewayCall.ts) and the answer schemas can both name it.
import * as z from "zod/mini";
import { redact } from "../redact.ts";

/** A letter or digit, then up to 31 letters, digits, `_`, `.`, `:` or `-` (`1024x1024`, `high`, `2K`). */
const WORD = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,31}$/;

// Each field is kept or dropped alone: one odd value never costs the others (or the images).
const word = () => z.catch(z.optional(z.string().check(z.regex(WORD), z.refine((text) => redact(text) === text))), undefined);
const seed = () => z.catch(z.optional(z.number().check(z.int(), z.nonnegative(), z.lte(Number.MAX_SAFE_INTEGER))), undefined);

/** OpenAI's echo fields at the top of an image answer, for the answer schema to read (snake_case, as sent). */
export const openAiEchoFields = () => ({ size: word(), quality: word(), output_format: word(), background: word(), seed: seed() });

/** The native backend's `echo`. Built on first parse (z.lazy). */
export const AnswerEchoSchema = z.lazy(() => z.object({ size: word(), quality: word(), outputFormat: word(), background: word(), seed: seed() }));
export type AnswerEcho = z.infer<typeof AnswerEchoSchema>;

/** The fields of a parsed echo that are there; undefined when none is. */
export function knownEcho(echo: AnswerEcho): AnswerEcho | undefined {
  const kept = Object.fromEntries(Object.entries(echo).filter(([, value]) => value !== undefined)) as AnswerEcho;
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** An echo from anywhere (the native answer, a stored record): its readable fields, or undefined. */
export function echoFrom(value: unknown): AnswerEcho | undefined {
  if (value === undefined) return undefined;
  const parsed = AnswerEchoSchema.safeParse(value);
  return parsed.success ? knownEcho(parsed.data) : undefined;
}

/** The echo of an answer in OpenAI's shape (its fields already read by `openAiEchoFields`). */
export const echoOfResult = (result: { size?: string; quality?: string; output_format?: string; background?: string; seed?: number }) =>
  knownEcho({ size: result.size, quality: result.quality, outputFormat: result.output_format, background: result.background, seed: result.seed });
