import { costOf, estimateOf, type PriceTable } from "../rules/pricing.ts";
import type { LiveBatch, ResultBatchRef, ResultGroup } from "./results.ts";
import { pricedRequest } from "./usage.ts";

/** What a batch's (or compare's) header in the results area says. */
export interface BatchResultHead {
  id: string;
  kind: ResultBatchRef["kind"];
  /** "k of n": requests ended of those the batch made. */
  ended: number;
  total: number;
  running: boolean;
  /** Images received of those asked for. */
  images: number;
  expected: number;
  /** The estimated cost of the requests with a price: what their usage (or images) cost once they
   * ended, the estimate before sending while they run; `unpriced` requests have none. */
  cost?: number;
  unpriced: number;
  /** The compare result the user kept. */
  keptId?: string;
}

/** A request on its own, or a batch under its header with its requests in the order sent. */
export interface ResultSection {
  key: string;
  batch?: BatchResultHead;
  /** Shown: a collapsed batch shows its header only (its images are not drawn). */
  open: boolean;
  groups: ResultGroup[];
  /** A batch's requests sit side by side: how many thumbnails wide each one is (its images, 1–4). */
  columns?: number[];
  /** The index of its first group among every section's groups, in order: the viewer numbers images by it. */
  firstGroup: number;
}

/**
 * The results area in the order shown: newest first, a batch at its newest request's place with
 * every request of it under one header, in the order they were sent (live and recorded alike, so a
 * reload shows the same). `collapsed` names the batches the user folded.
 */
export function selectResultSections(groups: readonly ResultGroup[], batches: readonly LiveBatch[], prices: PriceTable, collapsed: ReadonlySet<string> = new Set()): ResultSection[] {
  const sections: Omit<ResultSection, "firstGroup">[] = [];
  const byBatch = new Map<string, ResultGroup[]>();
  for (const group of groups) {
    if (!group.batch) {
      sections.push({ key: group.id, open: true, groups: [group] });
      continue;
    }
    const members = byBatch.get(group.batch.id);
    if (members) {
      members.push(group);
      continue;
    }
    const started = [group];
    byBatch.set(group.batch.id, started);
    sections.push({ key: group.batch.id, open: !collapsed.has(group.batch.id), groups: started });
  }
  let firstGroup = 0;
  return sections.map((section) => {
    const batchId = section.groups[0]!.batch?.id;
    const groupsInOrder = batchId ? [...section.groups].sort((a, b) => a.batch!.index - b.batch!.index) : section.groups;
    const placed = {
      ...section,
      groups: groupsInOrder,
      firstGroup,
      ...(batchId ? { batch: batchHead(batchId, groupsInOrder, batches, prices), columns: groupsInOrder.map(columnsOf) } : {}),
    };
    firstGroup += groupsInOrder.length;
    return placed;
  });
}

const MOST_COLUMNS = 4;
const columnsOf = (group: ResultGroup) => Math.min(MOST_COLUMNS, Math.max(1, group.count, group.images.length));

function batchHead(id: string, members: readonly ResultGroup[], batches: readonly LiveBatch[], prices: PriceTable): BatchResultHead {
  const live = batches.find((batch) => batch.id === id);
  // A request whose card was removed (and that left no images to history) still counts, as ended.
  const total = Math.max(live?.ids.length ?? 0, members.length);
  const running = members.filter((member) => member.running).length;
  const costs = members.map((member) => costOfMember(member, prices));
  const known = costs.filter((cost): cost is number => cost !== undefined);
  const keptId = live?.keptId ?? members.find((member) => member.kept)?.id;
  return {
    id,
    kind: members[0]!.batch!.kind,
    ended: total - running,
    total,
    running: running > 0,
    images: members.reduce((sum, member) => sum + member.images.length, 0),
    expected: members.reduce((sum, member) => sum + member.count, 0),
    ...(known.length ? { cost: known.reduce((sum, cost) => sum + cost, 0) } : {}),
    unpriced: costs.length - known.length,
    ...(keptId ? { keptId } : {}),
  };
}

/** One request's share: its usage (or images) priced once it ended, its estimate while it runs; nothing when it was not billed. */
function costOfMember(member: ResultGroup, prices: PriceTable): number | undefined {
  if (member.notBilled) return 0;
  if (!member.model) return undefined;
  const facts = { model: member.model, size: member.size ?? "auto", quality: member.quality, gatewayKind: member.gatewayKind, gatewayLabelKey: member.gatewayLabelKey };
  return member.running
    ? estimateOf(pricedRequest({ ...facts, images: member.count }), prices)
    : costOf(pricedRequest({ ...facts, images: member.images.length, usage: member.usage }), prices);
}
