/** The most requests one batch (or compare) may make: more is refused before anything is sent. */
export const MAX_BATCH = 100;

/**
 * Why a batch text makes no requests, with what the message needs: no prompt at all, more than
 * `MAX_BATCH` requests (`count` is capped at `COUNT_CAP` so a line of 30 groups stays a number), a
 * `{` never closed, a `}` never opened, or a `{` inside a group. Lines and columns count from 1.
 */
export type BatchProblem =
  | { key: "batch.empty" }
  | { key: "batch.tooMany"; params: { count: number; max: number } }
  | { key: "batch.unclosed"; params: { line: number; column: number } }
  | { key: "batch.unopened"; params: { line: number; column: number } }
  | { key: "batch.nested"; params: { line: number; column: number } };

export type BatchExpansion = { ok: true; prompts: string[] } | { ok: false; problem: BatchProblem };

/** Counts above this are reported as this: the message only needs to say "far too many". */
export const COUNT_CAP = 1_000_000;

type Segment = string | string[];

/** One line as text and variant groups, or where its braces break. */
function parseLine(line: string, lineNumber: number): { ok: true; segments: Segment[] } | { ok: false; problem: BatchProblem } {
  const segments: Segment[] = [];
  let text = "";
  let group: string[] | undefined;
  let opened = 0;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index]!;
    const at = { line: lineNumber, column: index + 1 };
    if (char === "{") {
      if (group) return { ok: false, problem: { key: "batch.nested", params: at } };
      segments.push(text);
      text = "";
      group = [];
      opened = index + 1;
    } else if (char === "}") {
      if (!group) return { ok: false, problem: { key: "batch.unopened", params: at } };
      segments.push([...group, text]);
      text = "";
      group = undefined;
    } else if (char === "|" && group) {
      group.push(text);
      text = "";
    } else text += char;
  }
  if (group) return { ok: false, problem: { key: "batch.unclosed", params: { line: lineNumber, column: opened } } };
  segments.push(text);
  return { ok: true, segments };
}

const optionsOf = (segment: Segment) => (typeof segment === "string" ? [segment] : segment);
/** Spaces a variant leaves (`{|very} big`) never reach the prompt. */
const tidy = (prompt: string) => prompt.replace(/\s+/g, " ").trim();

/**
 * A batch text as prompts: each non-blank line is one prompt, and each `{a|b|…}` group in it makes
 * one prompt per option (groups multiply: `{a|b} {c|d}` is four), in the order written. Braces are
 * variant syntax only here: the composer sends a prompt as written when batch is off, so a
 * multi-line prompt or literal braces stay one prompt there. A prompt a variant leaves blank is
 * dropped like a blank line. Nothing is built when the count is over `MAX_BATCH`.
 */
export function expandBatch(text: string): BatchExpansion {
  const lines: Segment[][] = [];
  const rawLines = text.split(/\r\n|\r|\n/);
  for (const [index, line] of rawLines.entries()) {
    if (!line.trim()) continue;
    const parsed = parseLine(line, index + 1);
    if (!parsed.ok) return parsed;
    lines.push(parsed.segments);
  }
  let count = 0;
  for (const segments of lines) {
    count = Math.min(COUNT_CAP, count + segments.reduce((product, segment) => Math.min(COUNT_CAP, product * optionsOf(segment).length), 1));
  }
  if (count > MAX_BATCH) return { ok: false, problem: { key: "batch.tooMany", params: { count, max: MAX_BATCH } } };
  const prompts = lines.flatMap((segments) =>
    segments.reduce<string[]>((prefixes, segment) => prefixes.flatMap((prefix) => optionsOf(segment).map((option) => prefix + option)), [""]).map(tidy).filter(Boolean),
  );
  if (prompts.length === 0) return { ok: false, problem: { key: "batch.empty" } };
  return { ok: true, prompts };
}
