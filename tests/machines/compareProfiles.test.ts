// Compare across endpoint profiles: planCompare's refusals against a reference model over random
// targets and profile facts (fast-check), and on the real root panel actor each column going out
// through the profile it names (its endpoint, timeout and facts), never another's, a deleted
// profile failing its own column unsent. Only the gateway call, the clock and the ids are fakes.
import fc from "fast-check";
import { createActor } from "xstate";
import { describe, expect, it } from "vitest";
import type { EndpointDescription, ProfileEndpoints } from "../../machines/gatewayCall.ts";
import type { GatewayInput } from "../../machines/gateway.machine.ts";
import { planCompare, type CompareFacts, type CompareTarget, type ProfileTargetFacts } from "../../machines/rules/batchPlan.ts";
import { OPENAI_FIELDS } from "../../machines/rules/providerFields.ts";
import type { GatewayMode } from "../../machines/rules/gatewayResolution.ts";
import { retarget, selectCompareTargetRows } from "../../machines/views/compareTargets.ts";
import { selectRequestViews } from "../../machines/views.ts";
import { createBoundary, failure, image, requestsSettled, validGenerate } from "./support.ts";

const request = { operation: "generate", prompt: "a fox", model: "gpt-image-1", size: "1024x1024", n: 1 };

// The reference model: why one target alone cannot be sent, or nothing.
function targetProblem(target: CompareTarget, index: number, facts: CompareFacts): string | undefined {
  if (!target.model.trim()) return `compare.noModel ${index + 1}`;
  if (target.profileId !== undefined) {
    const profile = facts.profiles[target.profileId];
    if (!profile) return `compare.profileGone ${index + 1}`;
    if (!profile.valid) return `compare.profileNoUrl ${index + 1} ${profile.name}`;
    if (profile.needsKey && profile.keySet === false) return `compare.profileNoKey ${index + 1} ${profile.name}`;
    return undefined;
  }
  // The selection's own profile is not configured here: Auto and Cloud both need the managed gateway.
  if (facts.host.managed === "signedOut") return `compare.unavailable ${index + 1}`;
  return undefined;
}

const said = (plan: ReturnType<typeof planCompare>) => {
  if (plan.ok) return "ok";
  const { key, params } = plan.problem as { key: string; params: Record<string, unknown> };
  if (key === "compare.same") return `${key} ${params.first} ${params.second}`;
  if (key === "compare.count") return key;
  return [key, params.target, params.name].filter((part) => part !== undefined).join(" ");
};

const profileFacts: fc.Arbitrary<ProfileTargetFacts> = fc.record({
  name: fc.constantFrom("Relay A", "Relay B", "Azure"),
  valid: fc.boolean(),
  needsKey: fc.boolean(),
  keySet: fc.option(fc.boolean(), { nil: undefined }),
}).map(({ keySet, ...rest }) => (keySet === undefined ? rest : { ...rest, keySet }));

const target: fc.Arbitrary<CompareTarget> = fc.oneof(
  fc.record({ mode: fc.constant("custom" as GatewayMode), profileId: fc.constantFrom("a", "b", "c", "gone"), model: fc.constantFrom("gpt-image-1", "gpt-image-2", " gpt-image-1 ", "") }),
  fc.record({ mode: fc.constantFrom<GatewayMode>("cloud", "auto"), model: fc.constantFrom("gpt-image-1", "gpt-image-2", "") }),
);

describe("planCompare with profile targets", () => {
  it("property: sends exactly when every column can be sent, each pinned to its profile; else names the first column that cannot, by number", () => {
    fc.assert(
      fc.property(fc.array(target, { minLength: 2, maxLength: 4 }), profileFacts, profileFacts, profileFacts, fc.constantFrom("unknown", "signedOut") as fc.Arbitrary<"unknown" | "signedOut">, (targets, a, b, c, managed) => {
        const facts: CompareFacts = { host: { managed }, custom: { valid: false, keySet: false }, flavour: "production", profiles: { a, b, c } };
        const plan = planCompare(request, targets, facts);
        // The reference: the first column with a problem of its own, or a repeat of an earlier column.
        let expected = "ok";
        for (const [index, each] of targets.entries()) {
          const own = !each.model.trim() ? targetProblem(each, index, facts) : undefined;
          if (own) return void expect(said(plan)).toBe((expected = own));
          const first = targets.findIndex((other) => other.mode === each.mode && other.profileId === each.profileId && other.model.trim() === each.model.trim());
          if (first < index) return void expect(said(plan)).toBe((expected = `compare.same ${first + 1} ${index + 1}`));
          const problem = targetProblem(each, index, facts);
          if (problem) return void expect(said(plan)).toBe((expected = problem));
        }
        expect(said(plan)).toBe(expected);
        if (!plan.ok) return;
        // Nothing lost or moved: one item per column, in order, each with its own model and profile.
        expect(plan.items.map((item) => [(item.input as { model: string }).model, item.target])).toEqual(
          targets.map((each) => [each.model.trim(), each.profileId !== undefined ? { mode: "custom", profileId: each.profileId } : { mode: each.mode }]),
        );
        expect(plan.items.every((item) => (item.input as { prompt: string }).prompt === request.prompt)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("tells two profiles apart with the same model, and refuses the same profile and model twice", () => {
    const facts: CompareFacts = {
      host: { managed: "absent" },
      custom: { valid: false, keySet: false },
      flavour: "production",
      profiles: { a: { name: "Relay A", valid: true, needsKey: true, keySet: true }, b: { name: "Relay B", valid: true, needsKey: false } },
    };
    const two = [
      { mode: "custom" as const, profileId: "a", model: "gpt-image-1" },
      { mode: "custom" as const, profileId: "b", model: "gpt-image-1" },
    ];
    expect(planCompare(request, two, facts)).toMatchObject({ ok: true, items: [{ target: { mode: "custom", profileId: "a" } }, { target: { mode: "custom", profileId: "b" } }] });
    expect(planCompare(request, [two[0]!, { ...two[0]!, model: "gpt-image-1 " }], facts)).toEqual({ ok: false, problem: { key: "compare.same", params: { first: 1, second: 2 } } });
    // A key the backend has not answered about yet is not refused: its column says so if it is missing.
    const unknownKey = { ...facts, profiles: { ...facts.profiles, a: { name: "Relay A", valid: true, needsKey: true } } };
    expect(planCompare(request, two, unknownKey).ok).toBe(true);
    expect(said(planCompare(request, two, { ...facts, profiles: { ...facts.profiles, a: { name: "Relay A", valid: true, needsKey: true, keySet: false } } }))).toBe("compare.profileNoKey 1 Relay A");
    expect(said(planCompare(request, two, { ...facts, profiles: { a: facts.profiles.a! } }))).toBe("compare.profileGone 2");
  });
});

describe("compare target rows", () => {
  const profiles = [
    { id: "a", name: "Relay A", defaultModel: "gpt-image-2", listed: ["relay-image-x"] },
    { id: "b", name: "Relay B", defaultModel: "flux-dev" },
  ];
  it("offers Auto, the managed gateway, every profile by name and the mock; a profile brings its default model and its listed models first", () => {
    const rows = selectCompareTargetRows([{ mode: "custom", profileId: "a", model: "m" }, { mode: "cloud", model: "gpt-image-1" }], ["auto", "cloud", "custom", "mock"], profiles, ["gpt-image-1"]);
    expect(rows[0]!.choices.map((choice) => ("name" in choice.label ? choice.label.name : choice.label.key))).toEqual(["gateway.mode.auto", "gateway.mode.cloud", "Relay A", "Relay B", "gateway.mode.mock"]);
    expect(rows.map((row) => row.choice)).toEqual(["profile:a", "cloud"]);
    expect(rows[0]!.suggestions).toEqual(["relay-image-x", "gpt-image-1"]);
    expect(rows[1]!.suggestions).toEqual(["gpt-image-1"]);
    expect(retarget({ mode: "cloud", model: "gpt-image-1" }, "profile:b", profiles)).toEqual({ mode: "custom", profileId: "b", model: "flux-dev" });
    expect(retarget({ mode: "custom", profileId: "b", model: "flux-dev" }, "auto", profiles)).toEqual({ mode: "auto", model: "flux-dev" });
    // A deleted profile stays chosen (the plan names it), under its id.
    expect(selectCompareTargetRows([{ mode: "custom", profileId: "gone", model: "m" }], ["auto"], profiles, [])[0]!.choices.at(-1)).toEqual({ choice: "profile:gone", label: { name: "gone" }, checked: true });
  });
});

const endpoint = (profileId: string, profileName: string, baseUrl: string, timeoutMs: number): EndpointDescription => ({
  profileId,
  profileName,
  baseUrl,
  dialect: "images",
  auth: "bearer",
  editUpload: "multipart",
  allowInsecureHttp: false,
  timeoutMs,
  responsesModel: "gpt-4.1",
  fields: OPENAI_FIELDS,
});
const profileEndpoints = (...endpoints: EndpointDescription[]): ProfileEndpoints =>
  Object.fromEntries(endpoints.map((each) => [each.profileId, { endpoint: each, facts: { profileId: each.profileId, profileName: each.profileName, baseUrl: each.baseUrl, valid: true, keySet: false } }]));

describe("a compare across profiles on the panel", () => {
  const active = endpoint("active", "In use", "https://active.example/v1", 300_000);
  const a = endpoint("a", "Relay A", "https://a.example/v1", 60_000);
  const b = endpoint("b", "Relay B", "https://b.example/v1", 90_000);
  const gateway: GatewayInput = { mode: "custom", host: { managed: "absent" }, custom: { profileId: "active", profileName: "In use", baseUrl: active.baseUrl, valid: true, keySet: true }, flavour: "production" };

  function startPanel(profiles: ProfileEndpoints) {
    const boundary = createBoundary();
    const actor = createActor(boundary.panel, {
      input: { gateway, settings: { concurrency: 4, timeoutMs: 300_000, maxRetries: 0 }, endpoint: active, profiles, createId: boundary.createId, now: boundary.now, random: () => 0.5 },
      clock: boundary.clock,
    });
    actor.start();
    return { actor, boundary, views: () => selectRequestViews(actor.getSnapshot(), boundary.now()) };
  }

  it("sends each column through the profile it names, with that profile's timeout, whichever profile is in use; the columns name them", async () => {
    const { actor, boundary, views } = startPanel(profileEndpoints(active, a, b));
    actor.send({
      type: "user.submitBatch",
      kind: "compare",
      items: [
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom", profileId: "a" } },
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom", profileId: "b" } },
      ],
    });
    await requestsSettled(actor);
    expect(boundary.calls.map((call) => [call.kind, call.endpoint?.profileId, call.endpoint?.baseUrl])).toEqual([
      ["custom", "a", "https://a.example/v1"],
      ["custom", "b", "https://b.example/v1"],
    ]);
    expect(views().map((view) => [view.profileId, view.profileName, view.maxAttempts])).toEqual([
      ["a", "Relay A", 1],
      ["b", "Relay B", 1],
    ]);
    // Each request times out on its own profile's clock: Relay A's 60 s, not the 300 s of the one in use.
    boundary.clock.increment(60_000);
    expect(views().map((view) => view.phase)).toEqual(["timedOut", "requesting"]);
    boundary.answer(actor.getSnapshot().context.requests[1]!.id, { type: "gateway.output", output: image(1) });
    boundary.answer(actor.getSnapshot().context.requests[1]!.id, { type: "gateway.done" });
    expect(views()[1]).toMatchObject({ phase: "succeeded", profileName: "Relay B" });
  });

  it("fails a column whose profile was deleted, unsent and never through another profile; the other column goes", async () => {
    const { actor, boundary, views } = startPanel(profileEndpoints(active, a, b));
    // Relay B is deleted between planning and sending.
    actor.send({ type: "settings.changed", profiles: profileEndpoints(active, a) });
    actor.send({
      type: "user.submitBatch",
      kind: "compare",
      items: [
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom", profileId: "a" } },
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom", profileId: "b" } },
      ],
    });
    await requestsSettled(actor);
    expect(boundary.calls.map((call) => call.endpoint?.profileId)).toEqual(["a"]);
    expect(views()[1]).toMatchObject({ phase: "failed", target: { mode: "custom", profileId: "b" }, error: { code: "gateway_unavailable", reason: "customNotConfigured", mayHaveBeenBilled: false } });
  });

  it("lets only calls through the profile in use speak for its status: another profile's refused key leaves it untried", async () => {
    const { actor, boundary } = startPanel(profileEndpoints(active, a, b));
    const customFact = () => actor.getSnapshot().children.gateway!.getSnapshot().context.customFact;
    actor.send({
      type: "user.submitBatch",
      kind: "compare",
      items: [
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom", profileId: "a" } },
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom", profileId: "active" } },
      ],
    });
    await requestsSettled(actor);
    const [throughA, throughActive] = actor.getSnapshot().context.requests.map((entry) => entry.id) as [string, string];
    boundary.answer(throughA, { type: "gateway.failed", failure: failure({ code: "unauthorized", status: 401, mayHaveRun: false }) });
    expect(customFact()).toEqual({ state: "untried" });
    boundary.answer(throughActive, { type: "gateway.failed", failure: failure({ code: "unauthorized", status: 401, mayHaveRun: false }) });
    expect(customFact()).toEqual({ state: "keyRefused" });
  });

  it("retries a failed column through the profile it was pinned to", async () => {
    const { actor, boundary } = startPanel(profileEndpoints(active, a, b));
    actor.send({
      type: "user.submitBatch",
      kind: "compare",
      items: [
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom", profileId: "a" } },
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom", profileId: "b" } },
      ],
    });
    await requestsSettled(actor);
    const throughB = actor.getSnapshot().context.requests[1]!.id;
    boundary.answer(throughB, { type: "gateway.failed", failure: failure({ code: "server_error", status: 500, mayHaveRun: true }) });
    boundary.clock.increment(2_000);
    actor.send({ type: "user.retry", id: throughB });
    await requestsSettled(actor);
    expect(boundary.calls.map((call) => call.endpoint?.profileId)).toEqual(["a", "b", "b"]);
  });

  it("keeps the endpoint a column captured when its profile is edited afterwards", async () => {
    const { actor, boundary } = startPanel(profileEndpoints(active, a, b));
    actor.send({ type: "settings.changed", settings: { concurrency: 1 } });
    actor.send({
      type: "user.submitBatch",
      kind: "compare",
      items: [
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom", profileId: "a" } },
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom", profileId: "b" } },
      ],
    });
    await requestsSettled(actor);
    actor.send({ type: "settings.changed", profiles: profileEndpoints(active, a, { ...b, baseUrl: "https://moved.example/v1" }) });
    const first = actor.getSnapshot().context.requests[0]!.id;
    boundary.answer(first, { type: "gateway.output", output: image(1) });
    boundary.answer(first, { type: "gateway.done" });
    await requestsSettled(actor);
    expect(boundary.calls.map((call) => call.endpoint?.baseUrl)).toEqual(["https://a.example/v1", "https://b.example/v1"]);
  });
});
