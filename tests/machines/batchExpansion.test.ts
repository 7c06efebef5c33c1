// Batch expansion and plans: a pure rule, held to properties over generated texts (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COUNT_CAP, expandBatch, MAX_BATCH } from "../../machines/rules/batchExpansion.ts";
import { planBatch, planCompare, type CompareFacts } from "../../machines/rules/batchPlan.ts";

// Words without the characters the syntax gives meaning to.
const word = fc.stringMatching(/^[a-z0-9 ,.'!?-]{1,12}$/).filter((text) => text.trim().length > 0);
const tidy = (text: string) => text.replace(/\s+/g, " ").trim();

describe("batch expansion", () => {
  it("makes one prompt per non-blank line, in order", () => {
    expect(expandBatch("a red fox\n\n  \na blue whale\r\nlast one")).toEqual({ ok: true, prompts: ["a red fox", "a blue whale", "last one"] });
  });

  it("expands {a|b} variants, groups multiplying in the order written", () => {
    expect(expandBatch("{red|blue} fox")).toEqual({ ok: true, prompts: ["red fox", "blue fox"] });
    expect(expandBatch("{a|b} {c|d}")).toEqual({ ok: true, prompts: ["a c", "a d", "b c", "b d"] });
    // An empty option makes the word optional without leaving double spaces.
    expect(expandBatch("a {|very} big fox")).toEqual({ ok: true, prompts: ["a big fox", "a very big fox"] });
  });

  it("names the line and column of an unbalanced or nested brace", () => {
    expect(expandBatch("fine\n{red|blue fox")).toEqual({ ok: false, problem: { key: "batch.unclosed", params: { line: 2, column: 1 } } });
    expect(expandBatch("red} fox")).toEqual({ ok: false, problem: { key: "batch.unopened", params: { line: 1, column: 4 } } });
    expect(expandBatch("{a|{b|c}}")).toEqual({ ok: false, problem: { key: "batch.nested", params: { line: 1, column: 4 } } });
  });

  it("refuses an empty batch and one over the limit, counting the real size", () => {
    expect(expandBatch("")).toEqual({ ok: false, problem: { key: "batch.empty" } });
    expect(expandBatch(" \n\n\t")).toEqual({ ok: false, problem: { key: "batch.empty" } });
    expect(expandBatch("{|}")).toEqual({ ok: false, problem: { key: "batch.empty" } });
    const tenThousand = Array.from({ length: 10_000 }, (_, index) => `prompt ${index}`).join("\n");
    expect(expandBatch(tenThousand)).toEqual({ ok: false, problem: { key: "batch.tooMany", params: { count: 10_000, max: MAX_BATCH } } });
    // 2^40 variants is refused from the count alone, without building a prompt.
    expect(expandBatch("{a|b}".repeat(40))).toEqual({ ok: false, problem: { key: "batch.tooMany", params: { count: COUNT_CAP, max: MAX_BATCH } } });
    expect(expandBatch(Array.from({ length: MAX_BATCH }, (_, index) => `p${index}`).join("\n"))).toMatchObject({ ok: true, prompts: { length: MAX_BATCH } });
  });

  it("property: the count is the sum over lines of the product of each group's options", () => {
    const group = fc.array(word, { minLength: 1, maxLength: 3 });
    const line = fc.array(fc.oneof(word.map((text) => ({ text })), group.map((options) => ({ options }))), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        const text = lines.map((parts) => parts.map((part) => ("text" in part ? part.text : `{${part.options.join("|")}}`)).join("")).join("\n");
        const expected = lines.reduce((sum, parts) => sum + parts.reduce((product, part) => product * ("options" in part ? part.options.length : 1), 1), 0);
        const result = expandBatch(text);
        if (expected > MAX_BATCH) return void expect(result).toMatchObject({ ok: false, problem: { key: "batch.tooMany", params: { count: expected } } });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.prompts).toHaveLength(expected);
        for (const prompt of result.prompts) expect(prompt).toBe(tidy(prompt));
        for (const prompt of result.prompts) expect(prompt).not.toMatch(/[{}\n]/);
      }),
      { numRuns: 300 },
    );
  });

  it("property: expanded prompts, one per line, expand to themselves (what put-back relies on)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(word, fc.constant("{red|blue} {fox|cat}"), fc.constant("a {|very} b")), { minLength: 1, maxLength: 10 }), (lines) => {
        const first = expandBatch(lines.join("\n"));
        if (!first.ok) return;
        expect(expandBatch(first.prompts.join("\n"))).toEqual(first);
      }),
    );
  });

  it("property: any text gets prompts or exactly one problem, never a throw, never more than the limit", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "{", "}", "|", "\n", "b") , maxLength: 60 }), (text) => {
        const result = expandBatch(text);
        if (result.ok) expect(result.prompts.length).toBeGreaterThan(0);
        if (result.ok) expect(result.prompts.length).toBeLessThanOrEqual(MAX_BATCH);
        else expect(result.problem.key).toMatch(/^batch\./);
      }),
      { numRuns: 500 },
    );
  });
});

describe("batch and compare plans", () => {
  const request = { operation: "generate", prompt: "{red|blue} fox", model: "gpt-image-1", size: "1024x1024", n: 2 };
  const gateway: CompareFacts = { host: { managed: "signedOut" }, custom: { baseUrl: "https://images.example.com/v1", valid: true, keySet: true }, flavour: "production", profiles: {} };

  it("sends the composer's request once per expanded prompt, options unchanged", () => {
    expect(planBatch(request)).toEqual({
      ok: true,
      kind: "batch",
      items: [{ input: { ...request, prompt: "red fox" } }, { input: { ...request, prompt: "blue fox" } }],
    });
    expect(planBatch({ ...request, prompt: "{red fox" })).toMatchObject({ ok: false, problem: { key: "batch.unclosed" } });
  });

  it("sends one prompt as written to each target, pinned to its gateway", () => {
    const plan = planCompare(request, [{ mode: "custom", model: "gpt-image-1" }, { mode: "custom", model: " gpt-image-2 " }], gateway);
    expect(plan).toEqual({
      ok: true,
      kind: "compare",
      items: [
        { input: { ...request, model: "gpt-image-1" }, target: { mode: "custom" } },
        { input: { ...request, model: "gpt-image-2" }, target: { mode: "custom" } },
      ],
    });
  });

  it("refuses a compare with a signed-out gateway, too few or too many targets, a repeat or no model", () => {
    expect(planCompare(request, [{ mode: "custom", model: "gpt-image-1" }, { mode: "cloud", model: "gpt-image-1" }], gateway)).toEqual({
      ok: false,
      problem: { key: "compare.unavailable", params: { target: 2 }, reason: "signedOut" },
    });
    expect(planCompare(request, [{ mode: "custom", model: "gpt-image-1" }], gateway)).toMatchObject({ ok: false, problem: { key: "compare.count" } });
    expect(planCompare(request, Array.from({ length: 5 }, (_, index) => ({ mode: "custom" as const, model: `m${index}` })), gateway)).toMatchObject({ ok: false, problem: { key: "compare.count" } });
    expect(planCompare(request, [{ mode: "custom", model: "gpt-image-1" }, { mode: "custom", model: "gpt-image-1 " }], gateway)).toEqual({
      ok: false,
      problem: { key: "compare.same", params: { first: 1, second: 2 } },
    });
    expect(planCompare(request, [{ mode: "custom", model: "gpt-image-1" }, { mode: "custom", model: "  " }], gateway)).toMatchObject({ ok: false, problem: { key: "compare.noModel", params: { target: 2 } } });
  });
});
