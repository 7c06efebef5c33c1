// The root panel machine: session truth from probes and calls in their order, the request queue,
// history events, crashes. Model-based (an exhaustive walk) and property-based (fast-check with a
// fake clock) tests over the real root actor; only the host, the gateway and the clock are fakes.
import fc from "fast-check";
import { createActor } from "xstate";
import { describe, expect, it } from "vitest";
import type { GatewayInput } from "../../machines/gateway.machine.ts";
import type { GatewayFailure, ManagedFact, RequestLogEvent } from "../../machines/index.ts";
import { PROBE_DEFAULTS, providePanelEffects, SAME_INPUT_MS, type PanelEmitted } from "../../machines/panel.machine.ts";
import { selectGatewayStatus, selectRequestViews } from "../../machines/views.ts";
import { PLANTED_PROMPT, PLANTED_SECRETS, containsSecret, createBoundary, ENTERPRISE_WORDING, rendered, failure, image, requestsSettled, waitForFact, MANAGED, validGenerate, type Boundary } from "./support.ts";

const MANAGED_INPUT: GatewayInput = { mode: "auto", host: { managed: "unknown" }, custom: { valid: false, keySet: false }, flavour: "production" };
const CUSTOM_FACTS = { baseUrl: "https://images.example.com/v1", valid: true, keySet: true };
const SIGNED_OUT: GatewayFailure = failure({ code: "signed_out", message: "Sign in to HaloForge (not signed in).", mayHaveRun: false });
const TIMEOUT_MS = 300_000;

function startPanel(gateway: GatewayInput = MANAGED_INPUT, boundary: Boundary = createBoundary(MANAGED)) {
  const emitted: PanelEmitted[] = [];
  const actor = createActor(boundary.panel, {
    input: { gateway, settings: { timeoutMs: TIMEOUT_MS, maxRetries: 1 }, createId: boundary.createId, now: boundary.now, random: () => 0.5, secrets: PLANTED_SECRETS },
    clock: boundary.clock,
  });
  for (const type of ["request.accepted", "request.ended", "outputs.listed"] as const) actor.on(type, (event) => void emitted.push(event));
  actor.start();
  const gatewayContext = () => actor.getSnapshot().children.gateway!.getSnapshot().context;
  const fact = (): ManagedFact => gatewayContext().host.managed;
  const views = () => selectRequestViews(actor.getSnapshot(), boundary.now());
  /** Lets the debounce pass so the pending probe starts (or, without a bridge, does not). */
  const settleProbe = async () => {
    boundary.clock.increment(PROBE_DEFAULTS.debounceMs);
    await waitForFact(actor, () => !actor.getSnapshot().matches("probeWaiting"), "the debounce passed");
  };
  return { actor, boundary, emitted, gatewayContext, fact, views, settleProbe };
}

describe("session truth", () => {
  it("probes once when the panel opens, and a listing proves the session", async () => {
    const { boundary, fact, gatewayContext, settleProbe, emitted } = startPanel();
    expect(fact()).toBe("unknown");
    expect(selectGatewayStatus(gatewayContext(), false)).toMatchObject({ tone: "neutral", proof: "sessionUnknown" });
    await settleProbe();
    expect(boundary.probes).toHaveLength(1);
    await boundary.answerProbe(0, { fact: "verified", outputs: [{ url: "https://cdn.example.com/a.png", model: "gpt-image-1", createdAt: 5 }] });
    expect(fact()).toBe("verified");
    expect(selectGatewayStatus(gatewayContext(), false)).toMatchObject({ tone: "ok", proof: "sessionVerified" });
    expect(emitted).toContainEqual({ type: "outputs.listed", outputs: [{ url: "https://cdn.example.com/a.png", model: "gpt-image-1", createdAt: 5 }] });
    // No paid call was made to learn it.
    expect(boundary.calls).toHaveLength(0);
  });

  it("a sign-in refusal proves signed out; anything else proves nothing", async () => {
    const { actor, boundary, fact, settleProbe } = startPanel();
    await settleProbe();
    await boundary.answerProbe(0, { fact: "unknown" });
    expect(fact()).toBe("unknown");
    actor.send({ type: "user.checkSession" });
    await settleProbe();
    await boundary.answerProbe(1, { fact: "signedOut" });
    expect(fact()).toBe("signedOut");
    // The fix ("Sign in…, then try again") only checks again: it never turns green by itself.
    actor.send({ type: "user.checkSession" });
    await settleProbe();
    await boundary.answerProbe(2, { fact: "unknown" });
    expect(fact()).toBe("signedOut");
  });

  it("time-bounds a probe that hangs, and ignores its answer if it comes later", async () => {
    const { actor, boundary, fact, settleProbe } = startPanel();
    await settleProbe();
    boundary.clock.increment(PROBE_DEFAULTS.timeoutMs);
    await requestsSettled(actor);
    expect(actor.getSnapshot().value).toBe("probeIdle");
    await boundary.answerProbe(0, { fact: "verified" });
    expect(fact()).toBe("unknown");
  });

  it("coalesces focus, visibility and check-again into one probe, and runs one more if asked while probing", async () => {
    const { actor, boundary, settleProbe } = startPanel();
    await settleProbe();
    await boundary.answerProbe(0, { fact: "verified" });
    boundary.host({ type: "host.focus" });
    boundary.host({ type: "host.focus" });
    actor.send({ type: "user.checkSession" });
    await settleProbe();
    expect(boundary.probes).toHaveLength(2);
    boundary.host({ type: "host.focus" });
    await boundary.answerProbe(1, { fact: "verified" });
    await settleProbe();
    expect(boundary.probes).toHaveLength(3);
    await boundary.answerProbe(2, { fact: "verified" });
    await settleProbe();
    expect(boundary.probes).toHaveLength(3);
  });

  it("never probes without a bridge, and probes when one appears", async () => {
    const { actor, boundary, fact, settleProbe } = startPanel({ ...MANAGED_INPUT, host: { managed: "absent" } });
    await settleProbe();
    boundary.host({ type: "host.focus" });
    await settleProbe();
    expect(boundary.probes).toHaveLength(0);
    boundary.host({ type: "host.bridge", present: true });
    expect(fact()).toBe("unknown");
    await settleProbe();
    expect(boundary.probes).toHaveLength(1);
  });

  it("a late success of an older request never overwrites a newer sign-out", async () => {
    const { actor, boundary, fact, settleProbe } = startPanel();
    actor.send({ type: "user.submit", input: validGenerate() });
    await requestsSettled(actor);
    await settleProbe(); // the opening probe starts after the request was sent
    await boundary.answerProbe(0, { fact: "signedOut" });
    expect(fact()).toBe("signedOut");
    boundary.answer("req-0001", { type: "gateway.output", output: image(1) });
    boundary.answer("req-0001", { type: "gateway.done" });
    await requestsSettled(actor);
    expect(fact()).toBe("signedOut");
    // A request sent later that succeeds is a newer fact.
    actor.send({ type: "user.checkSession" });
    await settleProbe();
    await boundary.answerProbe(1, { fact: "verified" });
    expect(fact()).toBe("verified");
  });

  it("a managed sign-out refusal during a request is a fact, and the card says it once", async () => {
    const { actor, boundary, fact, views } = startPanel();
    actor.send({ type: "user.submit", input: validGenerate() });
    await requestsSettled(actor);
    boundary.answer("req-0001", { type: "gateway.failed", failure: SIGNED_OUT });
    await requestsSettled(actor);
    expect(fact()).toBe("signedOut");
    expect(views()[0]).toMatchObject({ phase: "failed", error: { code: "signed_out", sentence: { key: "signed_out" }, mayHaveBeenBilled: false } });
    expect(views()[0]!.error).not.toHaveProperty("fix");
  });
});

describe("custom endpoint truth", () => {
  it("follows the custom endpoint's call outcomes in event order: a late success of an older call never hides a newer failure", async () => {
    const custom: GatewayInput = { mode: "custom", host: { managed: "absent" }, custom: CUSTOM_FACTS, flavour: "production" };
    const { actor, boundary, gatewayContext } = startPanel(custom, createBoundary());
    const status = () => selectGatewayStatus(gatewayContext(), false);
    expect(status()).toMatchObject({ tone: "neutral", proof: "customUntried" });
    // Distinct prompts: the same input twice within a second asks once.
    actor.send({ type: "user.submit", input: validGenerate({ prompt: "first" }) });
    actor.send({ type: "user.submit", input: validGenerate({ prompt: "second" }) });
    await requestsSettled(actor);
    boundary.answer("req-0002", { type: "gateway.failed", failure: failure({ code: "server_error", status: 500, mayHaveRun: true }) });
    await requestsSettled(actor);
    expect(status()).toMatchObject({ tone: "warn", proof: "customFailing", failure: { key: "server_errorStatus", params: { status: 500 } } });
    // Sent before that failure arrived: it proves nothing newer.
    boundary.answer("req-0001", { type: "gateway.output", output: image(1) });
    boundary.answer("req-0001", { type: "gateway.done" });
    await requestsSettled(actor);
    expect(status()).toMatchObject({ proof: "customFailing" });
    actor.send({ type: "user.submit", input: validGenerate({ prompt: "third" }) });
    await requestsSettled(actor);
    boundary.answer("req-0003", { type: "gateway.failed", failure: failure({ code: "unauthorized", status: 401, mayHaveRun: false }) });
    await requestsSettled(actor);
    expect(status()).toMatchObject({ tone: "bad", proof: "customKeyRefused", fix: "openSettings" });
    // A connection test that succeeds proves it works, from now.
    actor.send({ type: "custom.tested", outcome: { ok: true } });
    await requestsSettled(actor);
    expect(status()).toMatchObject({ tone: "ok", proof: "customVerified" });
  });
});

describe("bad host input", () => {
  it("a bridge that disappears mid-request: the request still ends with its images, the status says absent", async () => {
    const { actor, boundary, fact, views, gatewayContext } = startPanel();
    actor.send({ type: "user.submit", input: validGenerate() });
    await requestsSettled(actor);
    boundary.host({ type: "host.bridge", present: false });
    await requestsSettled(actor);
    expect(fact()).toBe("absent");
    boundary.answer("req-0001", { type: "gateway.output", output: image(1) });
    boundary.answer("req-0001", { type: "gateway.done" });
    await requestsSettled(actor);
    expect(views()[0]).toMatchObject({ phase: "succeeded", outputs: [image(1)] });
    // Its success says nothing about a bridge that is gone.
    expect(fact()).toBe("absent");
    expect(gatewayContext().resolution).toMatchObject({ status: "unavailable", reason: "noGateway" });
  });

  it("a sign-out during a request ends it failed (not billed) and the status signed out, images kept", async () => {
    const { actor, boundary, fact, views } = startPanel();
    actor.send({ type: "user.submit", input: validGenerate({ n: 2 }) });
    await requestsSettled(actor);
    boundary.answer("req-0001", { type: "gateway.output", output: image(1) });
    boundary.answer("req-0001", { type: "gateway.failed", failure: SIGNED_OUT });
    await requestsSettled(actor);
    expect(views()[0]).toMatchObject({ phase: "partiallySucceeded", outputs: [image(1)], error: { code: "signed_out" } });
    expect(fact()).toBe("signedOut");
  });
});

describe("managed cancel and late results", () => {
  it("says the gateway may still bill, keeps images that arrive and marks them", async () => {
    const { actor, boundary, views, emitted } = startPanel();
    actor.send({ type: "user.submit", input: validGenerate({ n: 2 }) });
    await requestsSettled(actor);
    actor.send({ type: "user.cancel", id: "req-0001" });
    await requestsSettled(actor);
    expect(views()[0]).toMatchObject({ phase: "cancelling", final: false, cancelNote: "mayStillBill" });
    expect(boundary.cancels).toEqual([]);
    boundary.answer("req-0001", { type: "gateway.output", output: image(1) });
    boundary.answer("req-0001", { type: "gateway.done" });
    await requestsSettled(actor);
    expect(views()[0]).toMatchObject({ phase: "cancelled", final: true, outputs: [{ ...image(1), afterCancel: true }] });
    expect(emitted.filter((event) => event.type === "request.ended")).toEqual([{ type: "request.ended", id: "req-0001" }]);
    expect(boundary.logs.map((log) => [log.event, log.outputCount])).toEqual([
      ["started", 0],
      ["cancelled", 1],
    ]);
  });

  it("a cancelled managed call that never answers ends at its timeout, as cancelled", async () => {
    const { actor, boundary, views } = startPanel();
    actor.send({ type: "user.submit", input: validGenerate() });
    await requestsSettled(actor);
    actor.send({ type: "user.cancel", id: "req-0001" });
    boundary.clock.increment(TIMEOUT_MS);
    await requestsSettled(actor);
    expect(views()[0]).toMatchObject({ phase: "cancelled", final: true });
  });
});

describe("every request ends well", () => {
  it("a request whose actor crashes ends failed, visible, retryable and removable", async () => {
    const boundary = createBoundary(MANAGED);
    let calls = 0;
    const logs: RequestLogEvent[] = [];
    const crashing = providePanelEffects({
      callGateway: () => {
        calls += 1;
        if (calls === 1) throw new Error(`adapter bug with ${PLANTED_SECRETS[0]}`);
        return () => undefined;
      },
      cancelGatewayCall: () => undefined,
      log: (event) => void logs.push(event),
      watchHost: () => () => undefined,
      probeSession: () => new Promise(() => undefined),
    });
    const emitted: PanelEmitted[] = [];
    const actor = createActor(crashing, { input: { gateway: MANAGED_INPUT, createId: boundary.createId, now: boundary.now, random: () => 0.5, secrets: PLANTED_SECRETS }, clock: boundary.clock });
    actor.on("request.ended", (event) => void emitted.push(event));
    actor.start();
    actor.send({ type: "user.submit", input: validGenerate() });
    await requestsSettled(actor);
    const [view] = selectRequestViews(actor.getSnapshot(), boundary.now());
    expect(view).toMatchObject({ phase: "failed", final: true, retryable: true, error: { code: "internal", mayHaveBeenBilled: true } });
    expect(view!.error!.summary).toMatch(/^adapter bug with /);
    // Our own thrown text is never quoted as if a provider had said it.
    expect(view!.error).not.toHaveProperty("detail");
    expect(containsSecret([view, logs], PLANTED_SECRETS)).toBeUndefined();
    expect(emitted).toEqual([{ type: "request.ended", id: "req-0001" }]);
    // It reached a gateway: one started and one terminal event, as every request.
    expect(logs.map((log) => [log.requestId, log.event, log.status])).toEqual([
      ["req-0001", "started", "started"],
      ["req-0001", "failed", "failed"],
    ]);
    expect(actor.getSnapshot().context.running).toEqual([]);
    actor.send({ type: "user.cancel", id: "req-0001" }); // a no-op on an ended request
    actor.send({ type: "user.retry", id: "req-0001" });
    await requestsSettled(actor);
    expect(selectRequestViews(actor.getSnapshot(), boundary.now()).map((item) => [item.id, item.phase])).toEqual([
      ["req-0001", "failed"],
      ["req-0002", "requesting"],
    ]);
    actor.send({ type: "user.remove", id: "req-0001" });
    expect(actor.getSnapshot().context.requests.map((entry) => entry.id)).toEqual(["req-0002"]);
  });

  it("announces accepted requests with their validated input, and every end once", async () => {
    const { actor, boundary, emitted, views } = startPanel();
    actor.send({ type: "user.submit", input: validGenerate({ prompt: "" }) });
    actor.send({ type: "user.submit", input: { ...validGenerate(), extra: "dropped by validation" } });
    await requestsSettled(actor);
    boundary.answer("req-0002", { type: "gateway.output", output: image(1) });
    boundary.answer("req-0002", { type: "gateway.done" });
    await requestsSettled(actor);
    expect(emitted.filter((event) => event.type !== "outputs.listed")).toEqual([
      { type: "request.ended", id: "req-0001" },
      { type: "request.accepted", id: "req-0002", createdAt: 0, input: { operation: "generate", prompt: PLANTED_PROMPT, model: "gpt-image-1", size: "1024x1024", n: 1 } },
      { type: "request.ended", id: "req-0002" },
    ]);
    // Refused input is fixed in the composer: its card offers no retry (it would be refused again).
    expect(views().map((view) => view.retryable)).toEqual([false, true]);
  });
});

// The commands of the walk and of the property: a host whose session can change, a user, a clock.
type Command =
  | { kind: "submit"; valid: boolean }
  | { kind: "cancel"; pick: number }
  | { kind: "retry"; pick: number }
  | { kind: "answer"; pick: number; images: number }
  | { kind: "fail"; pick: number; failure: GatewayFailure }
  | { kind: "probe" }
  | { kind: "focus" }
  | { kind: "signIn" }
  | { kind: "signOut" }
  | { kind: "bridge"; present: boolean }
  | { kind: "custom"; configured: boolean }
  | { kind: "tick"; ms: number };

/**
 * Runs commands on a real panel and checks, after each, the status against the last fact in
 * event order (a success counts from when its call or probe was sent, a refusal from when it
 * arrived; a fact about a bridge that is gone counts for nothing), then drains every call and
 * checks that no request is lost, duplicated or stuck and that no image that arrived is dropped.
 */
async function runCommands(commands: Command[]) {
  const { actor, boundary, fact, views, gatewayContext, emitted } = startPanel();
  let signedIn = true;
  let bridge = true;
  let order = 0;
  let factOrder = 0;
  let expected: ManagedFact = "unknown";
  let submitted = 0;
  // When each accepted request was accepted: the same input again within SAME_INPUT_MS is one
  // request (a retry is held back only by another request than the one it retries).
  const acceptedAt: { id: string; prompt: string; at: number }[] = [];
  const accepts = (prompt: string, retried?: string) =>
    !acceptedAt.some((entry) => entry.id !== retried && entry.prompt === prompt && boundary.now() - entry.at < SAME_INPUT_MS);
  const noteAccepted = (prompt: string) => acceptedAt.push({ id: ids().at(-1)!, prompt, at: boundary.now() });
  let signedOutSince = false;
  const callOrder = new Map<string, number>();
  let probeOrder = 0;
  let probesSeen = 0;
  let callsSeen = 0;
  const delivered = new Map<string, number>();
  const applyVerified = (sentAt: number) => {
    if (bridge && sentAt > factOrder) {
      expected = "verified";
      factOrder = sentAt;
    }
    signedOutSince = false;
  };
  const applySignedOut = () => {
    order += 1;
    if (bridge) {
      expected = "signedOut";
      factOrder = order;
    }
    signedOutSince = true;
  };
  // New dispatches since the last step get their order numbers, as the panel gives them.
  const noteDispatches = () => {
    for (; callsSeen < boundary.calls.length; callsSeen += 1) {
      const call = boundary.calls[callsSeen]!;
      if (call.kind === "managed") callOrder.set(call.requestId, ++order);
    }
    for (; probesSeen < boundary.probes.length; probesSeen += 1) probeOrder = ++order;
  };
  const ids = () => actor.getSnapshot().context.requests.map((request) => request.id);
  const pickId = (pick: number) => ids()[pick % Math.max(1, ids().length)] ?? "none";
  const kindOf = (id: string) => boundary.calls.findLast((call) => call.requestId === id)?.kind;

  for (const command of commands) {
    switch (command.kind) {
      case "submit": {
        const accepted = !command.valid || accepts(PLANTED_PROMPT);
        actor.send({ type: "user.submit", input: validGenerate({ prompt: command.valid ? PLANTED_PROMPT : "" }) });
        if (accepted) submitted += 1;
        if (accepted && command.valid) noteAccepted(PLANTED_PROMPT);
        break;
      }
      case "cancel":
        actor.send({ type: "user.cancel", id: pickId(command.pick) });
        break;
      case "retry": {
        const id = pickId(command.pick);
        const entry = actor.getSnapshot().context.requests.find((request) => request.id === id);
        const ended = entry !== undefined && (entry.crashed !== undefined || entry.ref.getSnapshot().status === "done");
        const accepted = ended && entry.input !== undefined && accepts(entry.input.prompt, id);
        actor.send({ type: "user.retry", id });
        if (accepted) {
          submitted += 1;
          noteAccepted(entry.input!.prompt);
        }
        break;
      }
      case "answer":
      case "fail": {
        const id = pickId(command.pick);
        if (!boundary.live.has(id)) break;
        const managed = kindOf(id) === "managed";
        if (managed && !signedIn) {
          boundary.answer(id, { type: "gateway.failed", failure: SIGNED_OUT });
          applySignedOut();
        } else if (command.kind === "fail") {
          boundary.answer(id, { type: "gateway.failed", failure: command.failure });
        } else {
          for (let index = 0; index < command.images; index += 1) boundary.answer(id, { type: "gateway.output", output: image(index) });
          delivered.set(id, (delivered.get(id) ?? 0) + command.images);
          boundary.answer(id, { type: "gateway.done" });
          if (managed) applyVerified(callOrder.get(id)!);
        }
        break;
      }
      case "probe": {
        // Answers the probe in flight, if one is (a timed-out one's answer goes nowhere).
        if (!actor.getSnapshot().matches("probing")) break;
        await boundary.answerProbe(boundary.probes.length - 1, { fact: signedIn ? "verified" : "signedOut" });
        if (signedIn) applyVerified(probeOrder);
        else applySignedOut();
        break;
      }
      case "focus":
        boundary.host({ type: "host.focus" });
        break;
      case "signIn":
        signedIn = true;
        break;
      case "signOut":
        signedIn = false;
        break;
      case "bridge":
        boundary.host({ type: "host.bridge", present: command.present });
        if (!command.present) expected = "absent";
        else if (!bridge) expected = "unknown";
        bridge = command.present;
        break;
      case "custom":
        // Other settings: the same input again is a new choice, not a double click.
        acceptedAt.length = 0;
        actor.send({ type: "settings.changed", gateway: { type: "settings.changed", custom: command.configured ? CUSTOM_FACTS : { valid: false, keySet: false } } });
        break;
      case "tick":
        boundary.clock.increment(command.ms);
        break;
    }
    await requestsSettled(actor);
    noteDispatches();
    expect(fact()).toBe(expected);
    if (signedOutSince) expect(fact()).not.toBe("verified");
    const status = selectGatewayStatus(gatewayContext(), false);
    if (status.tone === "ok" && status.status === "available" && status.labelKey !== "custom") expect(fact()).toBe("verified");
  }

  // Drain: every call still in flight answers, and every timer runs out.
  for (let round = 0; round < 4; round += 1) {
    for (const id of [...boundary.live.keys()]) {
      boundary.answer(id, { type: "gateway.output", output: image(7) });
      delivered.set(id, (delivered.get(id) ?? 0) + 1);
      boundary.answer(id, { type: "gateway.done" });
    }
    boundary.clock.increment(TIMEOUT_MS * 2);
    await requestsSettled(actor);
  }

  const all = views();
  expect(all).toHaveLength(submitted);
  expect(new Set(all.map((view) => view.id)).size).toBe(all.length);
  for (const view of all) {
    expect(view.final).toBe(true);
    // Images that arrived are never dropped: a late one after a managed cancel is kept, marked.
    expect(view.outputs.length).toBe(delivered.get(view.id) ?? 0);
    if (view.outputs.some((output) => output.afterCancel)) expect(view.phase).toBe("cancelled");
    const logs = boundary.logs.filter((log) => log.requestId === view.id);
    expect(logs.filter((log) => log.event === "started")).toHaveLength(view.attempt > 0 ? 1 : 0);
    expect(logs.filter((log) => log.event !== "started")).toHaveLength(view.attempt > 0 ? 1 : 0);
    const label = view.gateway ? rendered(`gateway.label.${view.gateway.labelKey}`).join(" ") : "";
    expect(`${JSON.stringify(view)} ${label}`).not.toMatch(ENTERPRISE_WORDING);
  }
  expect(actor.getSnapshot().context.running).toEqual([]);
  expect(actor.getSnapshot().context.queue).toEqual([]);
  // No secret in any view, log or emitted event; no prompt in any log.
  expect(containsSecret([all, boundary.logs, emitted], PLANTED_SECRETS)).toBeUndefined();
  expect(containsSecret(boundary.logs, [PLANTED_PROMPT])).toBeUndefined();
  const ended = emitted.filter((event) => event.type === "request.ended").map((event) => (event as { id: string }).id);
  expect(ended.sort()).toEqual(all.map((view) => view.id).sort());
  actor.stop();
}

const FAILURES: GatewayFailure[] = [
  failure({ code: "rate_limited", status: 429, retryAfterMs: 2_000, mayHaveRun: false, message: `429 for ${PLANTED_SECRETS[0]}` }),
  failure({ code: "server_error", status: 500, message: `Authorization: Bearer ${PLANTED_SECRETS[1]}` }),
];

describe("root panel machine on every command sequence of three steps (model-based)", () => {
  const steps: Command[] = [
    { kind: "submit", valid: true },
    { kind: "submit", valid: false },
    { kind: "cancel", pick: 0 },
    { kind: "answer", pick: 0, images: 1 },
    { kind: "fail", pick: 0, failure: FAILURES[0]! },
    { kind: "probe" },
    { kind: "focus" },
    { kind: "signOut" },
    { kind: "signIn" },
    { kind: "custom", configured: true },
    { kind: "tick", ms: PROBE_DEFAULTS.debounceMs },
    { kind: "tick", ms: TIMEOUT_MS },
  ];
  it("keeps every invariant", async () => {
    let paths = 0;
    for (const a of steps) for (const b of steps) for (const c of steps) {
      // Each path starts from a request in flight and a probe pending.
      await runCommands([{ kind: "submit", valid: true }, { kind: "tick", ms: PROBE_DEFAULTS.debounceMs }, { kind: "signOut" }, a, b, c]);
      paths += 1;
    }
    expect(paths).toBe(steps.length ** 3);
  }, 120_000);
});

describe("root panel machine under random interleavings (property, fake clock)", () => {
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({ kind: fc.constant("submit" as const), valid: fc.boolean() }),
    fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("retry" as const), pick: fc.nat() }),
    { arbitrary: fc.record({ kind: fc.constant("answer" as const), pick: fc.nat(), images: fc.integer({ min: 0, max: 2 }) }), weight: 3 },
    fc.record({ kind: fc.constant("fail" as const), pick: fc.nat(), failure: fc.constantFrom(...FAILURES) }),
    // Probes and focus come often, so answers cross each other in many orders.
    { arbitrary: fc.constant({ kind: "probe" as const }), weight: 3 },
    { arbitrary: fc.constant({ kind: "focus" as const }), weight: 2 },
    fc.constant({ kind: "signIn" as const }),
    fc.constant({ kind: "signOut" as const }),
    fc.record({ kind: fc.constant("bridge" as const), present: fc.boolean() }),
    fc.record({ kind: fc.constant("custom" as const), configured: fc.boolean() }),
    { arbitrary: fc.record({ kind: fc.constant("tick" as const), ms: fc.constantFrom(100, PROBE_DEFAULTS.debounceMs, PROBE_DEFAULTS.timeoutMs, 2_500, TIMEOUT_MS) }), weight: 3 },
  );
  it("the status matches the last fact in event order; nothing is lost, duplicated, stuck or dropped", async () => {
    // The first example is the crossing that matters most: an older call's success arriving after a
    // newer sign-out refusal.
    const crossing: Command[] = [{ kind: "submit", valid: true }, { kind: "signOut" }, { kind: "tick", ms: PROBE_DEFAULTS.debounceMs }, { kind: "probe" }, { kind: "signIn" }, { kind: "answer", pick: 0, images: 1 }];
    await fc.assert(fc.asyncProperty(fc.array(command, { maxLength: 40 }), (commands) => runCommands(commands)), { numRuns: 600, examples: [[crossing]] });
  }, 120_000);
});

describe("a panel that began to stop (property, fake clock)", () => {
  type Step =
    | { kind: "submit"; prompt: number }
    | { kind: "retry" | "cancel"; pick: number }
    | { kind: "cancelQueued" }
    | { kind: "answer"; pick: number }
    | { kind: "fail"; pick: number; failure: GatewayFailure }
    | { kind: "concurrency"; value: number }
    | { kind: "tick"; ms: number };
  // Failures that are retried automatically: after a stop, a retry would be a new paid call.
  const RETRIED: GatewayFailure[] = [
    failure({ code: "rate_limited", status: 429, retryAfterMs: 1_000, mayHaveRun: false }),
    failure({ code: "network", mayHaveRun: false }),
    failure({ code: "server_error", status: 500 }),
  ];
  const step: fc.Arbitrary<Step> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant("submit" as const), prompt: fc.integer({ min: 0, max: 3 }) }), weight: 3 },
    fc.record({ kind: fc.constantFrom("retry" as const, "cancel" as const), pick: fc.nat() }),
    fc.constant({ kind: "cancelQueued" as const }),
    { arbitrary: fc.record({ kind: fc.constant("answer" as const), pick: fc.nat() }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant("fail" as const), pick: fc.nat(), failure: fc.constantFrom(...RETRIED) }), weight: 2 },
    fc.record({ kind: fc.constant("concurrency" as const), value: fc.integer({ min: 1, max: 4 }) }),
    { arbitrary: fc.record({ kind: fc.constant("tick" as const), ms: fc.constantFrom(100, 1_000, 30_000, TIMEOUT_MS) }), weight: 2 },
  );

  async function run(before: Step[], after: Step[], how: "unmount" | "pagehide") {
    const boundary = createBoundary(MANAGED);
    const { actor, emitted } = startPanel(MANAGED_INPUT, boundary);
    const ids = () => actor.getSnapshot().context.requests.map((request) => request.id);
    const pickId = (pick: number) => ids()[pick % Math.max(1, ids().length)] ?? "none";
    const apply = async (command: Step) => {
      switch (command.kind) {
        case "submit":
          actor.send({ type: "user.submit", input: validGenerate({ prompt: `${PLANTED_PROMPT} ${command.prompt}` }) });
          break;
        case "retry":
          actor.send({ type: "user.retry", id: pickId(command.pick) });
          break;
        case "cancel":
          actor.send({ type: "user.cancel", id: pickId(command.pick) });
          break;
        case "cancelQueued":
          actor.send({ type: "user.cancelQueued" });
          break;
        case "answer":
          boundary.answer(pickId(command.pick), { type: "gateway.output", output: image(1) });
          boundary.answer(pickId(command.pick), { type: "gateway.done" });
          break;
        case "fail":
          boundary.answer(pickId(command.pick), { type: "gateway.failed", failure: command.failure });
          break;
        case "concurrency":
          actor.send({ type: "settings.changed", settings: { concurrency: command.value } });
          break;
        case "tick":
          boundary.clock.increment(command.ms);
          break;
      }
      await requestsSettled(actor);
    };
    for (const command of before) await apply(command);
    const sentBefore = boundary.calls.length;
    const acceptedBefore = emitted.filter((event) => event.type === "request.accepted").length;
    const live = [...boundary.live.values()];
    if (how === "pagehide") boundary.host({ type: "panel.stopping" });
    else actor.send({ type: "panel.stopping" });
    await requestsSettled(actor);
    // Calls in flight are abandoned: whatever they answer now goes nowhere.
    for (const sendBack of live) sendBack({ type: "gateway.failed", failure: RETRIED[1]! });
    for (const command of after) await apply(command);
    boundary.clock.increment(TIMEOUT_MS * 2);
    await requestsSettled(actor);
    expect(boundary.calls.length).toBe(sentBefore);
    expect(emitted.filter((event) => event.type === "request.accepted")).toHaveLength(acceptedBefore);
    actor.stop();
  }

  it("sends no request once the panel began to stop: no queued one starts, no retry, no new one", async () => {
    // The reload of a full queue: two in flight, one waiting; the first call breaks as the page goes.
    const reload: Step[] = [{ kind: "submit", prompt: 0 }, { kind: "submit", prompt: 1 }, { kind: "submit", prompt: 2 }];
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), fc.array(step, { maxLength: 25 }), fc.constantFrom("unmount" as const, "pagehide" as const), (before, after, how) =>
        run(before, after, how),
      ),
      { numRuns: 300, examples: [[reload, [{ kind: "fail", pick: 0, failure: RETRIED[1]! }, { kind: "tick", ms: 1_000 }], "pagehide"]] },
    );
  }, 120_000);
});
