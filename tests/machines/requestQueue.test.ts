import { createActor } from "xstate";
import { describe, expect, it } from "vitest";
import { selectRequestViews } from "../../machines/views.ts";
import { SAME_INPUT_MS } from "../../machines/panel.machine.ts";
import { createBoundary, failure, image, requestsSettled, startPanelActor, validGenerate } from "./support.ts";

// Each submit asks for a different picture: the same input twice within a second is one request.
let prompts = 0;
const nextPrompt = () => `A lighthouse at dusk, take ${++prompts}`;

const phases = (actor: ReturnType<typeof startPanelActor>, boundary: ReturnType<typeof createBoundary>) =>
  selectRequestViews(actor.getSnapshot(), boundary.now()).map((view) => view.phase);

describe("the panel's request queue", () => {
  it("runs at most `concurrency` requests and starts the next when one ends", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary);
    for (let i = 0; i < 3; i += 1) actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    await requestsSettled(actor);
    expect(phases(actor, boundary)).toEqual(["requesting", "requesting", "queued"]);
    boundary.answer("req-0001", { type: "gateway.output", output: image(1) });
    boundary.answer("req-0001", { type: "gateway.done" });
    await requestsSettled(actor);
    expect(phases(actor, boundary)).toEqual(["succeeded", "requesting", "requesting"]);
    expect(actor.getSnapshot().context.running).toEqual(["req-0002", "req-0003"]);
  });

  it("fails invalid input at once without taking a slot", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary, { concurrency: 1 });
    actor.send({ type: "user.submit", input: validGenerate({ prompt: "" }) });
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    await requestsSettled(actor);
    expect(phases(actor, boundary)).toEqual(["failed", "requesting"]);
  });

  it("cancels a queued request and never starts it", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary, { concurrency: 1 });
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    await requestsSettled(actor);
    actor.send({ type: "user.cancel", id: "req-0002" });
    boundary.answer("req-0001", { type: "gateway.failed", failure: failure({ code: "unauthorized", status: 401, mayHaveRun: false }) });
    await requestsSettled(actor);
    expect(phases(actor, boundary)).toEqual(["failed", "cancelled"]);
    expect(boundary.calls.map((call) => call.requestId)).toEqual(["req-0001"]);
  });

  it("retries on request as a new request with a new ID and the same input", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary);
    actor.send({ type: "user.submit", input: validGenerate({ size: "1536x1024" }) });
    await requestsSettled(actor);
    boundary.answer("req-0001", { type: "gateway.failed", failure: failure({ code: "server_error", status: 500 }) });
    actor.send({ type: "user.retry", id: "req-0001" });
    await requestsSettled(actor);
    const views = selectRequestViews(actor.getSnapshot(), boundary.now());
    expect(views.map((view) => [view.id, view.phase, view.size])).toEqual([
      ["req-0001", "failed", "1536x1024"],
      ["req-0002", "requesting", "1536x1024"],
    ]);
  });

  it("applies new settings to new requests only and frees slots when concurrency grows", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary, { concurrency: 1, timeoutMs: 10_000 });
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    await requestsSettled(actor);
    actor.send({ type: "settings.changed", settings: { concurrency: 3, timeoutMs: 60_000 } });
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    await requestsSettled(actor);
    expect(phases(actor, boundary)).toEqual(["requesting", "requesting", "requesting"]);
    boundary.clock.increment(10_000);
    // The first two keep the 10 s timeout they were created with; the third got 60 s.
    expect(phases(actor, boundary)).toEqual(["timedOut", "timedOut", "requesting"]);
  });

  it("does not retry a request that is still running", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary);
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    await requestsSettled(actor);
    actor.send({ type: "user.retry", id: "req-0001" });
    actor.send({ type: "user.retry", id: "no-such-request" });
    expect(actor.getSnapshot().context.requests.map((request) => request.id)).toEqual(["req-0001"]);
  });

  it("stops the actor of a removed request", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary);
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    actor.send({ type: "user.cancel", id: "req-0001" });
    // The panel's own children (gateway selection, host watcher, a probe) stay.
    const requests = () => Object.keys(actor.getSnapshot().children).filter((id) => id.startsWith("req-"));
    expect(requests()).toEqual(["req-0001"]);
    actor.send({ type: "user.remove", id: "req-0001" });
    expect(requests()).toEqual([]);
  });

  it("keeps running requests when concurrency drops, and starts no new one until below it", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary, { concurrency: 2 });
    for (let i = 0; i < 3; i += 1) actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    await requestsSettled(actor);
    actor.send({ type: "settings.changed", settings: { concurrency: 1 } });
    boundary.answer("req-0001", { type: "gateway.failed", failure: failure({ code: "unauthorized", status: 401, mayHaveRun: false }) });
    await requestsSettled(actor);
    expect(phases(actor, boundary)).toEqual(["failed", "requesting", "queued"]);
    boundary.answer("req-0002", { type: "gateway.failed", failure: failure({ code: "unauthorized", status: 401, mayHaveRun: false }) });
    await requestsSettled(actor);
    expect(phases(actor, boundary)).toEqual(["failed", "failed", "requesting"]);
  });

  it("gives each request a random UUID when no id generator is injected", async () => {
    const boundary = createBoundary();
    const actor = createActor(boundary.panel, { input: { gateway: boundary.gatewayInput(), now: boundary.now, random: () => 0.5 }, clock: boundary.clock }).start();
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    await requestsSettled(actor);
    const ids = actor.getSnapshot().context.requests.map((request) => request.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(2);
    expect(boundary.calls.map((call) => call.requestId)).toEqual(ids);
  });

  it("removes only requests that ended", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary);
    actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    await requestsSettled(actor);
    actor.send({ type: "user.remove", id: "req-0001" });
    expect(actor.getSnapshot().context.requests).toHaveLength(1);
    actor.send({ type: "user.cancel", id: "req-0001" });
    actor.send({ type: "user.remove", id: "req-0001" });
    expect(actor.getSnapshot().context.requests).toHaveLength(0);
  });
});

describe("guards against paying twice by accident", () => {
  it("asks once for the same prompt and options submitted again within a second; later, or changed, asks again", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary, { concurrency: 4 });
    for (let i = 0; i < 30; i += 1) actor.send({ type: "user.submit", input: validGenerate() });
    await requestsSettled(actor);
    expect(boundary.calls).toHaveLength(1);
    actor.send({ type: "user.submit", input: validGenerate({ size: "1536x1024" }) });
    boundary.clock.increment(SAME_INPUT_MS);
    actor.send({ type: "user.submit", input: validGenerate() });
    await requestsSettled(actor);
    expect(boundary.calls.map((call) => [call.requestId, call.input.size])).toEqual([
      ["req-0001", "1024x1024"],
      ["req-0002", "1536x1024"],
      ["req-0003", "1024x1024"],
    ]);
  });

  it("a retry clicked twice makes one new request", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary);
    actor.send({ type: "user.submit", input: validGenerate() });
    await requestsSettled(actor);
    boundary.answer("req-0001", { type: "gateway.failed", failure: failure({ code: "server_error", status: 500 }) });
    await requestsSettled(actor);
    actor.send({ type: "user.retry", id: "req-0001" });
    actor.send({ type: "user.retry", id: "req-0001" });
    await requestsSettled(actor);
    expect(boundary.calls.map((call) => call.requestId)).toEqual(["req-0001", "req-0002"]);
  });

  it("cancels every queued request at once and leaves the running ones alone", async () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary, { concurrency: 2 });
    for (let i = 0; i < 5; i += 1) actor.send({ type: "user.submit", input: validGenerate({ prompt: nextPrompt() }) });
    await requestsSettled(actor);
    actor.send({ type: "user.cancelQueued" });
    await requestsSettled(actor);
    expect(phases(actor, boundary)).toEqual(["requesting", "requesting", "cancelled", "cancelled", "cancelled"]);
    boundary.answer("req-0001", { type: "gateway.output", output: image(1) });
    boundary.answer("req-0001", { type: "gateway.done" });
    await requestsSettled(actor);
    expect(phases(actor, boundary)).toEqual(["succeeded", "requesting", "cancelled", "cancelled", "cancelled"]);
    expect(boundary.calls.map((call) => call.requestId)).toEqual(["req-0001", "req-0002"]);
    expect(actor.getSnapshot().context.queue).toEqual([]);
  });
});

it("asks again for the same input once the settings changed (another gateway is another choice)", async () => {
  const boundary = createBoundary();
  const actor = startPanelActor(boundary, { concurrency: 4 });
  actor.send({ type: "user.submit", input: validGenerate() });
  actor.send({ type: "settings.changed", gateway: { type: "settings.changed", mode: "custom" } });
  actor.send({ type: "user.submit", input: validGenerate() });
  actor.send({ type: "user.submit", input: validGenerate() });
  await requestsSettled(actor);
  expect(boundary.calls.map((call) => call.requestId)).toEqual(["req-0001", "req-0002"]);
});
