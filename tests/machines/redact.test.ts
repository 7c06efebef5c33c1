import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redact, summarize } from "../../machines/redact.ts";

describe("redact", () => {
  it.each([
    ["Authorization: Bearer sk-abc123def456ghi789", "sk-abc123"],
    ['{"Authorization":"Basic dXNlcjpwYXNz"}', "dXNlcjpwYXNz"],
    ["key sk-proj-ABCDEFGHIJKLMNOPQRSTUV leaked", "sk-proj-ABCDEFGHIJ"],
    ["https://user:hunter2@api.example.com/v1", "hunter2"],
    ["https://api.example.com/v1?api-version=2024&key=topsecret", "topsecret"],
    ['{"api_key":"abc-123-xyz"}', "abc-123-xyz"],
    ["image data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB then", "iVBORw0KGgoAAAANSUhEUg"],
    ["Set-Cookie: session=abcdef123456; Path=/", "abcdef123456"],
    ["token ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "ghp_ABCDEF"],
    [`raw ${"QUJD".repeat(20)} bytes`, "QUJDQUJD"],
  ])("removes the secret from %j", (input, secret) => {
    expect(redact(input)).not.toContain(secret);
  });

  it("keeps ordinary diagnostics readable", () => {
    expect(redact("HTTP 429: Rate limit reached for gpt-image-1, retry in 12s")).toBe(
      "HTTP 429: Rate limit reached for gpt-image-1, retry in 12s",
    );
    expect(redact("https://api.example.com/v1/images/generations?api-version=2024")).toBe(
      "https://api.example.com/v1/images/generations?api-version=[REDACTED]",
    );
  });

  it("removes known secret values wherever they appear", () => {
    expect(redact("the key was letmein-please here", ["letmein-please"])).toBe("the key was [REDACTED] here");
  });

  it("never lets a planted key survive, whatever surrounds it (property)", () => {
    const keyChars = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
    const key = fc.array(keyChars, { minLength: 20, maxLength: 60 }).map((chars) => `sk-${chars.join("")}`);
    const framing = fc.constantFrom(
      (k: string) => `Authorization: Bearer ${k}`,
      (k: string) => `{"error":{"message":"Incorrect API key provided: ${k}"}}`,
      (k: string) => `https://x:${k}@host/v1`,
      (k: string) => `https://host/v1?key=${k}`,
      (k: string) => `${k}`,
    );
    fc.assert(
      fc.property(key, framing, fc.string(), fc.string(), (secret, frame, before, after) => {
        const output = redact(`${before} ${frame(secret)} ${after}`);
        expect(output).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });

  it("summarize cuts to 200 characters on one line", () => {
    const summary = summarize(`line one\n${"word ".repeat(100)}`);
    expect(summary.length).toBeLessThanOrEqual(200);
    expect(summary).not.toContain("\n");
    expect(summary.endsWith("…")).toBe(true);
  });
});
