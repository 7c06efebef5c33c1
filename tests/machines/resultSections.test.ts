// The results area's sections: a batch's (or compare's) requests under one header, live and after a
// reload alike; every image once, in the order shown; the viewer's numbering follows it. Properties
// over generated mixes of single requests and batches (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  endedNotBilled,
  newestResultRecords,
  recordedResult,
  selectGalleryItems,
  selectResultGroups,
  selectResultSections,
  type LiveBatch,
  type RequestView,
  type ResultSection,
} from "../../machines/views.ts";
import type { RequestPhase } from "../../machines/request.machine.ts";

const imageUrl = (source: Blob | string) => (typeof source === "string" ? source : `blob:${(source as Blob & { tag?: string }).tag}`);
const blob = (tag: string) => Object.assign(new Blob([tag], { type: "image/png" }), { tag });

/** A request as a test describes it: its images by tag, how many were asked for, and how it stands. */
interface Planned {
  id: string;
  createdAt: number;
  prompt: string;
  count: number;
  images: Blob[];
  phase: RequestPhase;
  batch?: { id: string; index: number; kind: "batch" | "compare" };
  failed?: boolean;
  /** Failed after its call went out: it may have been billed. */
  mayHaveBeenBilled?: boolean;
}

const FINAL: RequestPhase[] = ["succeeded", "partiallySucceeded", "failed", "cancelled", "timedOut"];
const view = (request: Planned): RequestView => ({
  id: request.id,
  ...(request.batch ? { batchId: request.batch.id } : {}),
  phase: request.phase,
  final: FINAL.includes(request.phase),
  tone: "ok",
  retryable: true,
  phases: [],
  attempt: 1,
  maxAttempts: 1,
  createdAt: request.createdAt,
  elapsedMs: 1,
  operation: "generate",
  model: "gpt-image-1",
  size: "1024x1024",
  quality: "low",
  count: request.count,
  promptPreview: request.prompt,
  gateway: { kind: "custom", labelKey: "custom" },
  outputs: request.images.map((src) => ({ src })),
  attemptFailures: [],
  ...(request.failed ? { error: { code: "content_policy", summary: "refused", hint: "none", hintText: "", mayHaveBeenBilled: Boolean(request.mayHaveBeenBilled), sentence: { key: "invalid_request" } } } : {}),
  ...(request.images.length && request.phase === "succeeded" ? { usage: { input_tokens: 100, output_tokens: 200 } } : {}),
  timeline: [],
} as RequestView);

/** What history holds of a request once it ended (a reload's view of it). */
const record = (request: Planned) =>
  recordedResult({
    id: request.id,
    createdAt: request.createdAt,
    prompt: request.prompt,
    n: request.count,
    status: request.phase,
    model: "gpt-image-1",
    size: "1024x1024",
    quality: "low",
    gatewayKind: "custom",
    gatewayLabelKey: "custom",
    images: request.images,
    remoteUrls: [],
    ...(request.images.length && request.phase === "succeeded" ? { usage: { input_tokens: 100, output_tokens: 200 } } : {}),
    ...(request.failed ? { errorSentence: { key: "invalid_request" } } : {}),
    // What the history store writes when the request ended (`endedNotBilled`).
    ...(endedNotBilled(view(request)) ? { notBilled: true } : {}),
    ...(request.batch ? { batchId: request.batch.id, batchIndex: request.batch.index, batchKind: request.batch.kind } : {}),
  });

const batchesOf = (requests: readonly Planned[]): LiveBatch[] => {
  const byId = new Map<string, LiveBatch & { ids: string[] }>();
  for (const { id, batch } of requests) {
    if (!batch) continue;
    const entry = byId.get(batch.id) ?? { id: batch.id, kind: batch.kind, ids: [] };
    entry.ids[batch.index] = id;
    byId.set(batch.id, entry);
  }
  return [...byId.values()];
};

const tagsOf = (sections: readonly ResultSection[]) => sections.flatMap((section) => section.groups.flatMap((group) => group.images.map(({ src }) => (src as Blob & { tag: string }).tag)));

// Five prompts sent as one batch at t=10; the fourth refused, the fifth still running; a single after it.
const FIVE: Planned[] = [
  ...["red kite", "blue kite", "lighthouse", "harbour", "meadow"].map((prompt, index): Planned => ({
    id: `b-${index}`,
    createdAt: 10,
    prompt,
    count: 1,
    images: index === 3 || index === 4 ? [] : [blob(`b${index}`)],
    phase: index === 3 ? "failed" : index === 4 ? "requesting" : "succeeded",
    batch: { id: "batch-1", index, kind: "batch" },
    ...(index === 3 ? { failed: true } : {}),
  })),
  { id: "s-1", createdAt: 20, prompt: "alone", count: 1, images: [blob("s1")], phase: "succeeded" },
];

describe("the results area's sections", () => {
  it("puts a running batch under one header: k of n, its images, its cost, each prompt with its images, the failure said", () => {
    const groups = selectResultGroups(FIVE.map(view), [], batchesOf(FIVE));
    const sections = selectResultSections(groups, batchesOf(FIVE), {});
    expect(sections.map((section) => section.key)).toEqual(["s-1", "batch-1"]);
    const [single, batch] = sections;
    expect(single!.batch).toBeUndefined();
    expect(batch!.batch).toMatchObject({ kind: "batch", ended: 4, total: 5, running: true, images: 3, expected: 5, unpriced: 0 });
    // Three usages priced, plus the running one's estimate before sending; the refused one cost nothing.
    expect(batch!.batch!.cost).toBeGreaterThan(0);
    expect(batch!.groups.map((group) => group.promptPreview)).toEqual(["red kite", "blue kite", "lighthouse", "harbour", "meadow"]);
    expect(batch!.groups[3]!.partial).toEqual({ received: 0, expected: 1, why: { key: "invalid_request" } });
    expect(batch!.groups[4]!.placeholders).toEqual([{ index: 1, total: 1 }]);
    expect(batch!.firstGroup).toBe(1);
  });

  it("shows the same batch after a reload, from history records that carry its id", () => {
    const ended = FIVE.map((request) => (request.phase === "requesting" ? { ...request, phase: "succeeded" as const, images: [blob("b4")] } : request));
    const live = selectResultSections(selectResultGroups(ended.map(view), [], batchesOf(ended)), batchesOf(ended), {});
    const reloaded = selectResultSections(selectResultGroups([], ended.map(record)), [], {});
    const shape = (sections: ResultSection[]) => sections.map((section) => ({ key: section.key, batch: section.batch, prompts: section.groups.map((group) => [group.promptPreview, group.partial]) }));
    expect(shape(reloaded)).toEqual(shape(live));
    expect(tagsOf(reloaded)).toEqual(["s1", "b0", "b1", "b2", "b4"]);
  });

  it("prices a refusal at nothing, live and after a reload, but a failure that may have been billed as unknown", () => {
    const timedOut = FIVE.map((request) => (request.failed ? { ...request, mayHaveBeenBilled: true } : request));
    for (const requests of [FIVE, timedOut]) {
      const live = selectResultSections(selectResultGroups(requests.map(view), [], batchesOf(requests)), batchesOf(requests), {});
      const ended = requests.filter((request) => request.phase !== "requesting");
      const reloaded = selectResultSections(selectResultGroups([], ended.map(record)), [], {});
      const unpriced = requests === FIVE ? 0 : 1;
      expect(live[1]!.batch!.unpriced).toBe(unpriced);
      expect(reloaded[1]!.batch!.unpriced).toBe(unpriced);
    }
  });

  it("keeps a single request as one group of its own, as before batches", () => {
    const groups = selectResultGroups([view(FIVE[5]!)], []);
    expect(selectResultSections(groups, [], {})).toEqual([{ key: "s-1", open: true, groups, firstGroup: 0 }]);
  });

  it("names a compare as a compare, and its kept result", () => {
    const compare: Planned[] = [0, 1].map((index) => ({ id: `c-${index}`, createdAt: 5, prompt: "crane", count: 1, images: [blob(`c${index}`)], phase: "succeeded", batch: { id: "cmp", index, kind: "compare" } }));
    const [section] = selectResultSections(selectResultGroups(compare.map(view), [], batchesOf(compare)), [{ ...batchesOf(compare)[0]!, keptId: "c-1" }], {});
    expect(section!.batch).toMatchObject({ kind: "compare", ended: 2, total: 2, keptId: "c-1" });
  });

  it("folds a batch the user collapsed: its header stays, the viewer still walks its images in place", () => {
    const groups = selectResultGroups(FIVE.map(view), [], batchesOf(FIVE));
    const sections = selectResultSections(groups, batchesOf(FIVE), {}, new Set(["batch-1"]));
    expect(sections.map((section) => section.open)).toEqual([true, false]);
    const { items } = selectGalleryItems(sections.flatMap((section) => section.groups), imageUrl);
    expect(items.map((item) => item.src)).toEqual(["blob:s1", "blob:b0", "blob:b1", "blob:b2"]);
  });

  it("takes the newest requests from history with a batch counting as one, whole", () => {
    const records = [{ id: "a" }, { id: "b1", batchId: "B" }, { id: "b2", batchId: "B" }, { id: "c" }, { id: "b3", batchId: "B" }, { id: "d" }];
    expect(newestResultRecords(records, 2).map((entry) => entry.id)).toEqual(["a", "b1", "b2", "b3"]);
    expect(newestResultRecords(records, 3).map((entry) => entry.id)).toEqual(["a", "b1", "b2", "c", "b3"]);
  });

  it("says how a batch's request ended when it is not a failure, and keeps images recovery could not tie to it out", () => {
    const [kite, lighthouse, , harbour] = FIVE;
    const records = [
      record(kite!),
      { ...record(lighthouse!), status: "interrupted", recovered: "uncertain" as const },
      { ...record({ ...harbour!, failed: false }), status: "notSent" },
    ];
    const [section] = selectResultSections(selectResultGroups([], records), [], {});
    expect(section!.groups.map((group) => [group.images.length, group.partial])).toEqual([
      [1, undefined],
      [0, { received: 0, expected: 1, ended: "interrupted" }],
      [0, { received: 0, expected: 1, ended: "notSent" }],
    ]);
  });

  it("says nothing of a stored failure sentence this version does not know", () => {
    const result = recordedResult({ id: "r", createdAt: 1, prompt: "p", n: 1, status: "failed", model: "m", size: "auto", images: [], remoteUrls: [], errorSentence: { key: "fromTheFuture" }, batchId: "B" });
    expect(result.why).toBeUndefined();
    expect(result.batch).toEqual({ id: "B", index: 0, kind: "batch" });
  });
});

// Generated: singles and batches, each request with 0–3 images of 1–3 asked, live or only in history.
const plans = fc
  .array(
    fc.record({
      size: fc.integer({ min: 1, max: 5 }),
      batched: fc.boolean(),
      kind: fc.constantFrom("batch" as const, "compare" as const),
      createdAt: fc.integer({ min: 0, max: 50 }),
      members: fc.array(fc.record({ count: fc.integer({ min: 1, max: 3 }), received: fc.integer({ min: 0, max: 3 }), phase: fc.constantFrom<RequestPhase>("succeeded", "failed", "cancelled", "queued", "requesting"), live: fc.boolean() }), { minLength: 5, maxLength: 5 }),
    }),
    { maxLength: 8 },
  )
  .map((entries) => {
    const requests: (Planned & { live: boolean })[] = [];
    entries.forEach((entry, groupIndex) => {
      const members = entry.members.slice(0, entry.batched ? entry.size : 1);
      members.forEach((member, index) => {
        const id = `r-${groupIndex}-${index}`;
        const received = Math.min(member.received, member.count);
        requests.push({
          id,
          // A batch's requests are made at once; separate ones at their own times (ties broken by order).
          createdAt: entry.createdAt * 100 + groupIndex,
          prompt: `prompt ${id}`,
          count: member.count,
          images: Array.from({ length: received }, (_, image) => blob(`${id}:${image}`)),
          phase: member.live ? member.phase : member.phase === "queued" || member.phase === "requesting" ? "succeeded" : member.phase,
          live: member.live,
          ...(entry.batched ? { batch: { id: `batch-${groupIndex}`, index, kind: entry.kind } } : {}),
        });
      });
    });
    return requests;
  });

describe("results properties", () => {
  it("shows every image exactly once, in the order of the sections, numbered so by the viewer; a batch in one section, in the order sent", () => {
    fc.assert(
      fc.property(plans, fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), (requests, folded) => {
        const live = requests.filter((request) => request.live);
        const past = requests.filter((request) => !request.live && FINAL.includes(request.phase)).map(record);
        const batches = batchesOf(live);
        const sections = selectResultSections(selectResultGroups(live.map(view), past, batches), batches, {}, new Set(folded.map((name) => `batch-${name}`)));
        const { items, first } = selectGalleryItems(sections.flatMap((section) => section.groups), imageUrl);
        // Every image of a shown request once; none of one left out.
        const expected = requests.filter((request) => request.live || FINAL.includes(request.phase)).flatMap((request) => request.images.map((image) => (image as Blob & { tag: string }).tag));
        expect([...tagsOf(sections)].sort()).toEqual([...expected].sort());
        expect(items.map((item) => item.src)).toEqual(tagsOf(sections).map((tag) => `blob:${tag}`));
        // The viewer's numbering follows the sections.
        let groupIndex = 0;
        for (const section of sections) {
          expect(section.firstGroup).toBe(groupIndex);
          for (const group of section.groups) {
            const start = first[groupIndex++]!;
            expect(group.images.map((_, index) => items[start + index]!.requestId)).toEqual(group.images.map(() => group.id));
          }
        }
        // One section per batch, its requests in the order sent.
        const keys = sections.map((section) => section.key);
        expect(new Set(keys).size).toBe(keys.length);
        for (const section of sections.filter((entry) => entry.batch)) {
          const indexes = section.groups.map((group) => group.batch!.index);
          expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
          expect(section.groups.every((group) => group.batch!.id === section.key)).toBe(true);
          expect(section.batch!.ended).toBeLessThanOrEqual(section.batch!.total);
        }
      }),
    );
  });

  it("loses nothing across a reload: every ended request's images come back from history, in the same sections", () => {
    fc.assert(
      fc.property(plans, (requests) => {
        const ended = requests.filter((request) => FINAL.includes(request.phase));
        const batches = batchesOf(ended);
        const before = selectResultSections(selectResultGroups(ended.map(view), [], batches), batches, {});
        const after = selectResultSections(selectResultGroups([], ended.map(record)), [], {});
        const bySection = (sections: ResultSection[]) => sections.map((section) => [section.key, tagsOf([section])]);
        expect(bySection(after)).toEqual(bySection(before));
      }),
    );
  });
});
