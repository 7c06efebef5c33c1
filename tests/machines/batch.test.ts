// Batches and compares on the real root panel actor: the limit, the queue under the concurrency
// limit, cancel, a reload (the panel stopping) and put-back; model-based over random interleavings
// (fast-check). Only the gateway, the clock and the ids are fakes.
import fc from "fast-check";
import { createActor } from "xstate";
import { describe, expect, it } from "vitest";
import type { GatewayInput } from "../../machines/gateway.machine.ts";
import type { PanelEmitted } from "../../machines/panel.machine.ts";
import { MAX_BATCH } from "../../machines/rules/batchExpansion.ts";
import { planBatch } from "../../machines/rules/batchPlan.ts";
import { batchPutBack, selectBatchPreview, selectBatchView, selectCompareColumns, selectRequestGroups, selectRequestViews } from "../../machines/views.ts";
import { createBoundary, failure, image, MANAGED, PLANTED_SECRETS, requestsSettled, validGenerate, type Boundary } from "./support.ts";

const CUSTOM_INPUT: GatewayInput = { mode: "custom", host: { managed: "absent" }, custom: { baseUrl: "https://images.example.com/v1", valid: true, keySet: true }, flavour: "production" };
const MANAGED_INPUT: GatewayInput = { mode: "auto", host: { managed: "unknown" }, custom: { valid: false, keySet: false }, flavour: "production" };

function startPanel(concurrency = 2, gateway: GatewayInput = CUSTOM_INPUT, boundary: Boundary = createBoundary(gateway === MANAGED_INPUT ? MANAGED : undefined)) {
  const emitted: PanelEmitted[] = [];
  const actor = createActor(boundary.panel, {
    input: { gateway, settings: { concurrency, timeoutMs: 300_000, maxRetries: 0 }, createId: boundary.createId, now: boundary.now, random: () => 0.5, secrets: PLANTED_SECRETS },
    clock: boundary.clock,
  });
  for (const type of ["request.accepted", "request.ended", "request.sent", "request.kept"] as const) actor.on(type, (event) => void emitted.push(event));
  actor.start();
  const views = () => selectRequestViews(actor.getSnapshot(), boundary.now());
  return { actor, boundary, emitted, views };
}

type Actor = ReturnType<typeof startPanel>["actor"];
const batchOf = (prompts: string[]) => ({ type: "user.submitBatch" as const, kind: "batch" as const, items: prompts.map((prompt) => ({ input: validGenerate({ prompt }) })) });
const inFlight = (boundary: Boundary) => [...boundary.live.keys()];
const batchIn = (actor: Actor) => actor.getSnapshot().context.batches.at(-1)!;

describe("batches", () => {
  it("runs a batch under the concurrency limit, one batch id on every request, k of n as they end", async () => {
    const { actor, boundary, emitted, views } = startPanel(2);
    actor.send(batchOf(["one", "two", "three", "four", "five"]));
    await requestsSettled(actor);
    const batch = batchIn(actor);
    expect(batch.ids).toHaveLength(5);
    expect(views().every((view) => view.batchId === batch.id)).toBe(true);
    expect(emitted.filter((event) => event.type === "request.accepted").map((event) => event.type === "request.accepted" && event.batch)).toEqual(batch.ids.map((_, index) => ({ id: batch.id, index, kind: "batch" })));
    expect(inFlight(boundary)).toHaveLength(2);
    expect(selectBatchView(batch, views())).toMatchObject({ total: 5, ended: 0, queued: 3, canCancel: true });

    boundary.answer(batch.ids[0]!, { type: "gateway.output", output: image(1) });
    boundary.answer(batch.ids[0]!, { type: "gateway.done" });
    boundary.answer(batch.ids[1]!, { type: "gateway.failed", failure: failure({ code: "invalid_request", status: 400, mayHaveRun: false }) });
    await requestsSettled(actor);
    expect(inFlight(boundary)).toHaveLength(2);
    expect(selectBatchView(batch, views())).toMatchObject({ total: 5, ended: 2, succeeded: 1, failed: 1, queued: 1 });
    expect(selectRequestGroups(views(), actor.getSnapshot().context.batches)).toMatchObject([{ kind: "batch", views: { length: 5 } }]);
  });

  it("sends repeated prompts of one batch each, but a second click of the same batch within a second asks nothing", async () => {
    const { actor, boundary } = startPanel(10);
    actor.send(batchOf(["same", "same"]));
    actor.send(batchOf(["same", "same"]));
    await requestsSettled(actor);
    expect(actor.getSnapshot().context.batches).toHaveLength(1);
    expect(boundary.calls).toHaveLength(2);
  });

  it("refuses a batch of 0 or over the limit, and a compare of 1 or 5, whole: nothing is sent or queued", async () => {
    const { actor, boundary } = startPanel(2);
    actor.send(batchOf([]));
    actor.send(batchOf(Array.from({ length: MAX_BATCH + 1 }, (_, index) => `p${index}`)));
    actor.send({ type: "user.submitBatch", kind: "compare", items: [{ input: validGenerate(), target: { mode: "custom" } }] });
    actor.send({ type: "user.submitBatch", kind: "compare", items: Array.from({ length: 5 }, (_, index) => ({ input: validGenerate({ model: `m${index}` }), target: { mode: "custom" as const } })) });
    expect(actor.getSnapshot().context.requests).toHaveLength(0);
    expect(actor.getSnapshot().context.batches).toHaveLength(0);
    actor.send(batchOf(Array.from({ length: MAX_BATCH }, (_, index) => `p${index}`)));
    await requestsSettled(actor);
    expect(actor.getSnapshot().context.requests).toHaveLength(MAX_BATCH);
    expect(boundary.calls).toHaveLength(2);
  });

  it("cancels a batch: queued ones end unsent, a running custom call is stopped, a running managed one is honest about billing", async () => {
    const custom = startPanel(2);
    custom.actor.send(batchOf(["a", "b", "c", "d"]));
    await requestsSettled(custom.actor);
    const batch = batchIn(custom.actor);
    custom.actor.send({ type: "user.cancelBatch", batchId: batch.id });
    expect(custom.views().map((view) => view.phase)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    expect(custom.boundary.calls.map((call) => call.requestId)).toEqual(batch.ids.slice(0, 2));
    expect(custom.boundary.cancels.map((cancel) => cancel.requestId).sort()).toEqual(batch.ids.slice(0, 2).sort());

    const managed = startPanel(1, MANAGED_INPUT);
    managed.actor.send(batchOf(["a", "b"]));
    await requestsSettled(managed.actor);
    managed.actor.send({ type: "user.cancelBatch", batchId: batchIn(managed.actor).id });
    expect(managed.views()).toMatchObject([{ phase: "cancelling", cancelNote: "mayStillBill" }, { phase: "cancelled" }]);
    expect(selectBatchView(batchIn(managed.actor), managed.views())).toMatchObject({ ended: 1, canCancel: true });
    expect(managed.boundary.calls).toHaveLength(1);
  });
});

describe("batch preview", () => {
  it("counts requests and images and adds up the estimates it has, saying how many have none", () => {
    const items = [
      { input: validGenerate({ n: 2, model: "priced" }) },
      { input: validGenerate({ n: 3, model: "unpriced" }) },
      { input: validGenerate({ n: 1, model: "priced" }), target: { mode: "custom" as const } },
    ];
    const seen: unknown[] = [];
    const preview = selectBatchPreview(items, (item) => (seen.push(item), item.model === "priced" ? item.images * 0.5 : undefined));
    expect(preview).toEqual({ requests: 3, images: 6, cost: 1.5, unpriced: 1 });
    expect(seen[2]).toEqual({ model: "priced", size: "1024x1024", images: 1, target: { mode: "custom" } });
    expect(selectBatchPreview(items.slice(1, 2), () => undefined)).toEqual({ requests: 1, images: 3, unpriced: 1 });
  });
});

describe("compare", () => {
  it("pins each target to its gateway: a signed-out one fails its own column only; the kept one is marked", async () => {
    const gateway: GatewayInput = { mode: "custom", host: { managed: "signedOut" }, custom: CUSTOM_INPUT.custom, flavour: "production" };
    const { actor, boundary, emitted, views } = startPanel(4, gateway);
    actor.send({
      type: "user.submitBatch",
      kind: "compare",
      items: [
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "custom" } },
        { input: validGenerate({ model: "gpt-image-2" }), target: { mode: "custom" } },
        { input: validGenerate({ model: "gpt-image-1" }), target: { mode: "cloud" } },
      ],
    });
    await requestsSettled(actor);
    const [first, second, third] = batchIn(actor).ids as [string, string, string];
    expect(boundary.calls.map((call) => [call.requestId, call.kind, call.input.model])).toEqual([
      [first, "custom", "gpt-image-1"],
      [second, "custom", "gpt-image-2"],
    ]);
    expect(views()[2]).toMatchObject({ phase: "failed", target: { mode: "cloud" }, error: { reason: "signedOut", mayHaveBeenBilled: false } });

    // Keeping is for ended requests only; keeping another moves the mark.
    actor.send({ type: "user.keep", id: first });
    expect(batchIn(actor).keptId).toBeUndefined();
    for (const id of [first, second]) {
      boundary.answer(id, { type: "gateway.output", output: image(1) });
      boundary.answer(id, { type: "gateway.done", usage: { input_tokens: 10, output_tokens: 20 } });
    }
    actor.send({ type: "user.keep", id: first });
    actor.send({ type: "user.keep", id: second });
    expect(batchIn(actor).keptId).toBe(second);
    expect(emitted.filter((event) => event.type === "request.kept")).toEqual([
      { type: "request.kept", id: first, batchId: batchIn(actor).id },
      { type: "request.kept", id: second, batchId: batchIn(actor).id },
    ]);
    const columns = selectCompareColumns(selectBatchView(batchIn(actor), views()), views());
    expect(columns.map((column) => [column.kept, column.canKeep])).toEqual([[false, true], [true, false], [false, false]]);
    expect(third).toBeDefined();
  });
});

// Model-based: random batches, concurrency and interleavings of answers, cancels and a reload.
type Step = { kind: "succeed" | "fail"; pick: number } | { kind: "cancelBatch" } | { kind: "cancelOne"; pick: number } | { kind: "reload" };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom("succeed" as const, "fail" as const), pick: fc.nat(200) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "cancelBatch" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancelOne" as const), pick: fc.nat(200) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reload" as const }) },
);

describe("batch model", () => {
  it("never sends a request twice, never more than the limit at once, nothing after a reload, and loses none: put-back offers exactly the unsent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX_BATCH }), fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 40 }), async (size, concurrency, steps) => {
        const { actor, boundary, emitted } = startPanel(concurrency);
        const plan = planBatch({ ...validGenerate(), prompt: Array.from({ length: size }, (_, index) => `prompt ${index}`).join("\n") });
        if (!plan.ok) throw new Error("plan");
        actor.send({ type: "user.submitBatch", kind: plan.kind, items: plan.items });
        await requestsSettled(actor);
        const batch = batchIn(actor);
        let stopped = false;
        let callsAtStop = 0;
        for (const next of steps) {
          const live = inFlight(boundary);
          if (next.kind === "reload") {
            actor.send({ type: "panel.stopping" });
            stopped = true;
            callsAtStop = boundary.calls.length;
          } else if (next.kind === "cancelBatch") actor.send({ type: "user.cancelBatch", batchId: batch.id });
          else if (next.kind === "cancelOne") actor.send({ type: "user.cancel", id: batch.ids[next.pick % size]! });
          else if (live.length) {
            const id = live[next.pick % live.length]!;
            if (next.kind === "succeed") {
              boundary.answer(id, { type: "gateway.output", output: image(1) });
              boundary.answer(id, { type: "gateway.done" });
            } else boundary.answer(id, { type: "gateway.failed", failure: failure({ code: "server_error", status: 500 }) });
          }
          if (!stopped) await requestsSettled(actor);
          // Never more running than the limit; never a call for a request twice (no retries here).
          expect(inFlight(boundary).length).toBeLessThanOrEqual(concurrency);
          const called = boundary.calls.map((call) => call.requestId);
          expect(new Set(called).size).toBe(called.length);
          if (stopped) expect(boundary.calls).toHaveLength(callsAtStop);
        }
        // None lost: every item is a request of the batch, accepted once.
        expect(actor.getSnapshot().context.requests.map((entry) => entry.id)).toEqual(batch.ids);
        expect(emitted.filter((event) => event.type === "request.accepted")).toHaveLength(size);
        // A reload now: history marks what went out interrupted and what only waited not sent
        // (settleAfterReload); put-back offers exactly the prompts never sent, in order.
        const sent = new Set(emitted.filter((event) => event.type === "request.sent").map((event) => (event as { id: string }).id));
        const ended = new Set(emitted.filter((event) => event.type === "request.ended").map((event) => (event as { id: string }).id));
        // Stored in any order (IndexedDB lists by id), all at one time: put-back orders by place.
        const records = batch.ids.map((id, index) => ({
          id,
          batchId: batch.id,
          batchIndex: index,
          createdAt: 0,
          status: ended.has(id) ? "ended" : sent.has(id) ? "interrupted" : "notSent",
          operation: "generate" as const,
          prompt: `prompt ${index}`,
          model: "gpt-image-1",
          size: "1024x1024",
          n: 1,
          references: [],
        }));
        const unsent = records.filter((record) => record.status === "notSent").map((record) => record.prompt);
        const fill = batchPutBack([...records].reverse(), batch.id);
        if (unsent.length === 0) return void expect(fill).toBeUndefined();
        expect(fill?.run).toBe("batch");
        const again = planBatch({ ...validGenerate(), prompt: fill!.prompt });
        expect(again.ok && again.items.map((item) => (item.input as { prompt: string }).prompt)).toEqual(unsent);
        // Nothing sent is offered again.
        for (const prompt of unsent) expect(records.find((record) => record.prompt === prompt)!.id).not.toSatisfy((id: string) => sent.has(id));
        actor.stop();
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
