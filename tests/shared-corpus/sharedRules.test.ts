// The shared corpus tests/fixtures/shared-rules.json: every rule the panel and the native backend
// both implement gives exactly the corpus answers here (cargo test runs the same file in
// native/plugin/tests/shared_corpus.rs). Each case's answer is `expect`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { redact } from "../../machines/redact.ts";
import {
  COMPRESSION_MAX,
  EDIT_IMAGES_MAX,
  N_MAX,
  PARTIAL_IMAGES_MAX,
  SEED_MAX,
  PROMPT_MAX,
  RESPONSES_N_MAX,
  validateRequestInput,
  type RequestInput,
} from "../../machines/rules/requestInput.schema.ts";
import { echoFrom, echoOfResult, FAILURE_CODES, FAILURE_REASONS, failureFromNativeError, GatewayResultSchema } from "../../machines/index.ts";
import { checkBaseUrl } from "../../src/endpoint/baseUrl.ts";
import { safeImageSource } from "../../src/adapters/outputUrl.ts";
import { toProviderRequest, toResponsesRequest } from "../../src/adapters/providerRequest.ts";
import { ProfileSchema } from "../../src/schemas/profile.ts";

type Limit = "promptChars" | "n" | "responsesN" | "editImages" | "compression" | "partialImages" | "seed";
interface Corpus {
  baseUrl: { input: string; allowInsecureHttp?: boolean; expect: { normalized: string } | { problem: string } }[];
  redaction: { text: string; secrets?: string[]; expect: string }[];
  limits: { rule: Limit; value: number; expect: "ok" | "refused" }[];
  compressionSent: { outputFormat?: "png" | "jpeg" | "webp"; outputCompression?: number; expect: number | null }[];
  outputUrl: { url: string; expect: "accepted" | "refused" }[];
  failures: { codes: string[]; reasons: string[] };
  failureCases: { status?: number; wire: { code: string; sent: boolean; may_have_run: boolean; reason?: string }; expect: { code: string; mayHaveRun: boolean; reason?: string } }[];
  usage: { usage: unknown; expect: unknown }[];
  echo: { answer: Record<string, unknown>; expect: Record<string, unknown> | null }[];
}
const corpus = JSON.parse(readFileSync(new URL("../fixtures/shared-rules.json", import.meta.url), "utf8")) as Corpus;
const named = <T>(cases: T[], name: (c: T) => unknown) => cases.map((c) => [JSON.stringify(name(c)).slice(0, 80), c] as const);

describe("shared base URL rules", () => {
  it("has at least 60 cases", () => expect(corpus.baseUrl.length).toBeGreaterThanOrEqual(60));

  it.each(named(corpus.baseUrl, (c) => c.input))("%s", (_name, c) => {
    const result = checkBaseUrl(c.input, c.allowInsecureHttp ?? false);
    expect(result.ok ? { normalized: result.normalized } : { problem: result.problem }).toEqual(c.expect);
  });
});

describe("shared redaction rules", () => {
  it("has at least 40 cases", () => expect(corpus.redaction.length).toBeGreaterThanOrEqual(40));

  it.each(named(corpus.redaction, (c) => c.text))("%s", (_name, c) => {
    expect(redact(c.text, c.secrets ?? [])).toBe(c.expect);
  });
});

// One PNG reference image (the 8-byte signature and more), as its bytes and as base64.
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB";
const png = { fileName: "ref.png", contentType: "image/png", base64: PNG_BASE64, blob: new Blob([Buffer.from(PNG_BASE64, "base64")], { type: "image/png" }) };
const generate = (over: Partial<RequestInput> = {}) => ({ operation: "generate", prompt: "a fox", model: "gpt-image-1", size: "auto", n: 1, ...over });
const accepted = (input: unknown) => (validateRequestInput(input).ok ? "ok" : "refused");

/** The panel's answer to one limit case. */
const panelLimit: Record<Limit, (value: number) => "ok" | "refused"> = {
  promptChars: (value) => accepted(generate({ prompt: "x".repeat(value) })),
  n: (value) => accepted(generate({ n: value, model: "some-model" })),
  // The panel never sends more than the Responses API takes: a larger count is cut, not sent.
  responsesN: (value) => (toResponsesRequest(generate({ n: value }) as never, "gpt-4.1").n === value ? "ok" : "refused"),
  editImages: (value) => accepted({ ...generate(), operation: "edit", images: Array.from({ length: value }, () => png) }),
  compression: (value) => accepted(generate({ outputFormat: "jpeg", outputCompression: value })),
  partialImages: (value) => (ProfileSchema.shape.partialImages.safeParse(value).success ? "ok" : "refused"),
  seed: (value) => accepted(generate({ seed: value, model: "some-model" })),
};

describe("shared limits", () => {
  it("the panel's named limits are the corpus's largest accepted values", () => {
    const largest = (rule: Limit) => Math.max(...corpus.limits.filter((c) => c.rule === rule && c.expect === "ok").map((c) => c.value));
    const named = { promptChars: PROMPT_MAX, n: N_MAX, responsesN: RESPONSES_N_MAX, editImages: EDIT_IMAGES_MAX, compression: COMPRESSION_MAX, partialImages: PARTIAL_IMAGES_MAX, seed: SEED_MAX };
    expect(named).toEqual(Object.fromEntries(Object.keys(named).map((rule) => [rule, largest(rule as Limit)])));
  });

  it.each(named(corpus.limits, (c) => `${c.rule} ${c.value}`))("%s", (_name, c) => {
    expect(panelLimit[c.rule](c.value)).toBe(c.expect);
  });
});

describe("shared rule: compression is sent only with a lossy format", () => {
  it.each(named(corpus.compressionSent, (c) => c))("%s", async (_name, c) => {
    const input = validateRequestInput(generate({ ...(c.outputFormat ? { outputFormat: c.outputFormat } : {}), ...(c.outputCompression === undefined ? {} : { outputCompression: c.outputCompression }) }));
    if (!input.ok) throw new Error(JSON.stringify(input.problems));
    expect(((await toProviderRequest(input.input)) as { output_compression?: number }).output_compression ?? null).toBe(c.expect);
  });
});

describe("shared output image URL rule", () => {
  it.each(named(corpus.outputUrl, (c) => c.url))("%s", (_name, c) => {
    expect(safeImageSource(c.url) === undefined ? "refused" : "accepted").toBe(c.expect);
  });
});

describe("shared failure codes", () => {
  it("knows every native code and exactly the native reasons", () => {
    expect(FAILURE_CODES).toEqual(expect.arrayContaining(corpus.failures.codes));
    expect([...FAILURE_REASONS]).toEqual(corpus.failures.reasons);
  });

  it.each(named(corpus.failureCases, (c) => c.status ?? c.wire))("%s", (_name, c) => {
    const failure = failureFromNativeError({ message: "m", ...c.wire });
    expect({ code: failure.code, mayHaveRun: failure.mayHaveRun, ...(failure.reason ? { reason: failure.reason } : {}) }).toEqual(c.expect);
  });
});

describe("shared usage shapes", () => {
  it.each(named(corpus.usage, (c) => c.usage))("%s", (_name, c) => {
    expect(GatewayResultSchema.parse({ usage: c.usage }).usage ?? null).toEqual(c.expect);
  });
});

describe("shared echo reading", () => {
  // The managed gateway's answer carries OpenAI's own fields; the native `echo` is read again the same way.
  it.each(named(corpus.echo, (c) => c.answer))("%s", (_name, c) => {
    expect(echoOfResult(GatewayResultSchema.parse(c.answer)) ?? null).toEqual(c.expect);
    if (c.expect) expect(echoFrom(c.expect)).toEqual(c.expect);
  });
});
