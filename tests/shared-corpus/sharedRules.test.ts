// The shared corpus tests/fixtures/shared-rules.json: the panel's base URL checker and the
// frontend redaction must give exactly the answers the native backend gives (cargo test runs
// the same file in native/plugin/tests/shared_corpus.rs).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { redact } from "../../machines/redact.ts";
import { checkBaseUrl } from "../../src/endpoint/baseUrl.ts";

interface Corpus {
  baseUrl: { input: string; allowInsecureHttp?: boolean; expect: { normalized: string } | { problem: string } }[];
  redaction: { text: string; secrets?: string[]; expected: string }[];
}
const corpus = JSON.parse(readFileSync(new URL("../fixtures/shared-rules.json", import.meta.url), "utf8")) as Corpus;

describe("shared base URL rules", () => {
  it("has at least 60 cases", () => expect(corpus.baseUrl.length).toBeGreaterThanOrEqual(60));

  it.each(corpus.baseUrl.map((c) => [JSON.stringify(c.input), c] as const))("%s", (_name, c) => {
    const result = checkBaseUrl(c.input, c.allowInsecureHttp ?? false);
    expect(result.ok ? { normalized: result.normalized } : { problem: result.problem }).toEqual(c.expect);
  });
});

describe("shared redaction rules", () => {
  it("has at least 40 cases", () => expect(corpus.redaction.length).toBeGreaterThanOrEqual(40));

  it.each(corpus.redaction.map((c) => [JSON.stringify(c.text).slice(0, 80), c] as const))("%s", (_name, c) => {
    expect(redact(c.text, c.secrets ?? [])).toBe(c.expected);
  });
});
