import { describe, expect, it } from "vitest";
import { ref } from "vue";
import { createTranslator } from "../../src/i18n/i18n.ts";
import { selectRequestCard, type RequestView } from "../../machines/views.ts";

const view = (patch: Partial<RequestView>): RequestView => ({
  id: "req-1",
  phase: "failed",
  final: true,
  tone: "bad",
  retryable: true,
  phases: [],
  attempt: 1,
  maxAttempts: 3,
  createdAt: 0,
  elapsedMs: 0,
  outputs: [],
  attemptFailures: [],
  timeline: [],
  ...patch,
});
const failure = (patch: Partial<NonNullable<RequestView["error"]>>): NonNullable<RequestView["error"]> => ({
  code: "unauthorized",
  summary: "HTTP 401",
  hint: "unauthorized",
  hintText: "",
  mayHaveBeenBilled: false,
  ...patch,
});
const en = createTranslator(ref("en")).t;
const zh = createTranslator(ref("zh")).t;

describe("what a request card says and offers", () => {
  it("makes a setting's hint itself the button that opens settings, once the request ended", () => {
    const card = selectRequestCard(view({ error: failure({ fix: "openSettings", sentence: { key: "unauthorized" } }) }));
    expect(card.error).toEqual({ summary: { sentence: { key: "unauthorized" } }, action: { label: "hint.unauthorized", fix: { fix: "openSettings", open: "settings" } }, mayHaveBeenBilled: false });
    expect([en(card.error!.action!.label), zh(card.error!.action!.label)]).toEqual(["Check the API key in settings.", expect.stringMatching(/\S/)]);
  });

  it("names the fix when no gateway is usable, and signing in sends the core a session check", () => {
    const noGateway = selectRequestCard(view({ error: failure({ code: "gateway_unavailable", hint: "gateway_unavailable", fix: "openSettings" }) }));
    expect(noGateway.error?.action).toEqual({ label: "fix.openSettings", fix: { fix: "openSettings", open: "settings" } });
    const signIn = selectRequestCard(view({ error: failure({ code: "gateway_unavailable", hint: "gateway_unavailable", fix: "signIn" }) }));
    expect(signIn.error?.action).toEqual({ label: "fix.signIn", fix: { fix: "signIn", send: { type: "user.checkSession" } } });
  });

  it("offers no action while the request waits to retry (the panel acts itself), and shows the countdown", () => {
    const card = selectRequestCard(view({ phase: "waitingRetry", final: false, tone: "running", retryable: false, attempt: 1, retryInMs: 1500, error: failure({ code: "rate_limited", hint: "rate_limited" }) }));
    expect(card.error?.action).toBeUndefined();
    expect(card).toMatchObject({ progress: { key: "requests.retryIn", attempt: 2, max: 3, inMs: 1500 }, canCancel: true, canRemove: false });
    expect(card.tone).toBeUndefined();
    expect(card.retry).toBeUndefined();
  });

  it("words refused input by its rules, says 'may have been billed' only once ended, and a cancel by its phase alone", () => {
    const problems = [{ field: "n", rule: "countRange", message: "n: 1–10" }] as NonNullable<RequestView["error"]>["problems"];
    expect(selectRequestCard(view({ retryable: false, error: failure({ code: "validation", hint: "validation", problems }) })).error?.summary).toEqual({ problems });
    expect(selectRequestCard(view({ error: failure({ mayHaveBeenBilled: true, detail: "quota" }) })).error).toMatchObject({ mayHaveBeenBilled: true, detail: "quota" });
    expect(selectRequestCard(view({ phase: "cancelling", final: false, error: failure({ mayHaveBeenBilled: true }) })).error?.mayHaveBeenBilled).toBe(false);
    expect(selectRequestCard(view({ phase: "cancelled", tone: "warn", error: failure({ code: "cancelled", hint: "cancelled" }) })).error).toBeUndefined();
  });

  it("offers cancel while it runs (not once a managed cancel was asked), Run again after a success, Retry after a failure", () => {
    expect(selectRequestCard(view({ phase: "requesting", final: false, tone: "running", retryable: false })).progress).toEqual({ key: "requests.attempt", attempt: 1, max: 3 });
    expect(selectRequestCard(view({ phase: "queued", final: false, tone: "running", retryable: false })).progress).toEqual({ key: "requests.queued" });
    expect(selectRequestCard(view({ phase: "cancelling", final: false, tone: "warn", retryable: false })).canCancel).toBe(false);
    expect(selectRequestCard(view({ phase: "succeeded", tone: "ok" }))).toMatchObject({ tone: "ok", retry: "requests.runAgain", canCancel: false, canRemove: true });
    expect(selectRequestCard(view({})).retry).toBe("requests.retry");
  });
});
