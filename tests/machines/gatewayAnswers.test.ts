import { describe, expect, it } from "vitest";
import { echoFrom, failureFromNativeError, NativeImageAnswerSchema, type NativeError } from "../../machines/rules/gatewayAnswers.schema.ts";
import { isAutomaticallyRetryable, mayHaveBeenBilled } from "../../machines/rules/retryPolicy.ts";

const native = (error: Partial<NativeError>): NativeError => ({ code: "server_error", message: "failed", ...error });

describe("native answers at the boundary", () => {
  it("accepts the native success and failure shapes and rejects anything else", () => {
    expect(NativeImageAnswerSchema.safeParse({ ok: true, requestId: "r", elapsedMs: 3, result: { data: [{ b64_json: "QUJD" }] } }).success).toBe(true);
    expect(
      NativeImageAnswerSchema.safeParse({ ok: false, requestId: "r", error: { code: "rate_limited", message: "slow", status: 429, retry_after_ms: 2_000 } }).success,
    ).toBe(true);
    expect(NativeImageAnswerSchema.safeParse({ ok: false, requestId: "r", error: { code: 418, message: "?" } }).success).toBe(false);
    expect(NativeImageAnswerSchema.safeParse({ ok: true, result: {} }).success).toBe(false);
  });

  it("reads the native echo field by field and never drops the images for an odd one", () => {
    const answer = (echo: unknown) => NativeImageAnswerSchema.parse({ ok: true, requestId: "r", result: { data: [{ b64_json: "QUJD" }] }, echo });
    const good = answer({ size: "1024x1536", quality: "high", outputFormat: "webp", background: "opaque", seed: 42 });
    expect(good.ok && good.echo).toEqual({ size: "1024x1536", quality: "high", outputFormat: "webp", background: "opaque", seed: 42 });
    const odd = answer({ size: "<img src=x>", quality: "sk-abcdefgh123456", outputFormat: 3, seed: -1, background: "opaque" });
    expect(odd.ok && odd.result.data).toHaveLength(1);
    expect(odd.ok && echoFrom(odd.echo)).toEqual({ background: "opaque" });
    const none = answer("big");
    expect(none.ok && [none.result.data?.length, none.echo]).toEqual([1, undefined]);
    // A record from before echoes were kept, or a damaged one, shows nothing.
    expect([echoFrom(undefined), echoFrom({}), echoFrom({ size: 1 }), echoFrom("x")]).toEqual([undefined, undefined, undefined, undefined]);
  });

  // The facts are the native side's (`sent`, `may_have_run`, as native/plugin/src/error/mod.rs sets them).
  const refused = { sent: true, may_have_run: false };
  const ran = { sent: true, may_have_run: true };
  it.each([
    ["429", native({ code: "rate_limited", status: 429, retry_after_ms: 1_000, ...refused }), true, false],
    ["503", native({ code: "server_error", status: 503, ...refused }), true, false],
    ["connection refused", native({ code: "network", message: "Could not connect to the endpoint: refused", sent: false, may_have_run: false }), true, false],
    ["reset mid-response", native({ code: "network", message: "The connection to the endpoint broke: reset", ...ran }), false, true],
    ["500", native({ code: "server_error", status: 500, ...ran }), false, true],
    ["502", native({ code: "server_error", status: 502, ...ran }), false, true],
    ["504", native({ code: "server_error", status: 504, ...ran }), false, true],
    ["timeout", native({ code: "timeout", ...ran }), false, true],
    ["400", native({ code: "invalid_request", status: 400, ...refused }), false, false],
    ["401", native({ code: "unauthorized", status: 401, ...refused }), false, false],
    ["403", native({ code: "forbidden", status: 403, ...refused }), false, false],
    ["404", native({ code: "not_found", status: 404, ...refused }), false, false],
    ["413", native({ code: "payload_too_large", status: 413, ...refused }), false, false],
    ["429 without the native facts (an older backend)", native({ code: "rate_limited", status: 429 }), false, true],
    ["unknown code claiming not run", native({ code: "quota_exhausted", ...refused }), false, true],
  ])("a native %s is retried automatically: %s, may have been billed: %s", (_name, error, retried, billed) => {
    const failure = failureFromNativeError(error);
    expect(isAutomaticallyRetryable(failure)).toBe(retried);
    expect(mayHaveBeenBilled(failure)).toBe(billed);
  });

  it("carries status, Retry-After and the provider request id across", () => {
    expect(failureFromNativeError(native({ code: "rate_limited", status: 429, retry_after_ms: 1_500, provider_request_id: "req_9", sent: true, may_have_run: false }))).toEqual({
      code: "rate_limited",
      message: "failed",
      status: 429,
      retryAfterMs: 1_500,
      providerRequestId: "req_9",
      mayHaveRun: false,
    });
  });
});
