import type { BatchEntry } from "../panel.machine.ts";
import type { RequestView } from "./requests.ts";

/** What a batch's header says: "k of n" ended, how they ended, and whether anything can still be cancelled. */
export interface BatchView {
  id: string;
  kind: BatchEntry["kind"];
  total: number;
  /** k of "k of n": requests that reached a final state. */
  ended: number;
  succeeded: number;
  /** Ended without every image: failed, timed out or partly succeeded. */
  failed: number;
  cancelled: number;
  queued: number;
  /** Some request has not ended: "Cancel batch" drops the queued ones and cancels the running ones. */
  canCancel: boolean;
  keptId?: string;
}

export function selectBatchView(batch: BatchEntry, views: readonly RequestView[]): BatchView {
  const mine = views.filter((view) => view.batchId === batch.id);
  const count = (phases: readonly string[]) => mine.filter((view) => phases.includes(view.phase)).length;
  const ended = mine.filter((view) => view.final).length;
  return {
    id: batch.id,
    kind: batch.kind,
    // A request removed by the user still counts as asked for.
    total: batch.ids.length,
    ended: ended + (batch.ids.length - mine.length),
    succeeded: count(["succeeded"]),
    failed: count(["failed", "timedOut", "partiallySucceeded"]),
    cancelled: count(["cancelled"]),
    queued: count(["queued"]),
    canCancel: mine.some((view) => !view.final),
    ...(batch.keptId ? { keptId: batch.keptId } : {}),
  };
}

/** The request list, newest first: a request on its own, or a batch or compare with its requests in the order sent. */
export type RequestGroup = { kind: "single"; view: RequestView } | { kind: "batch" | "compare"; batch: BatchView; views: RequestView[] };

export function selectRequestGroups(views: readonly RequestView[], batches: readonly BatchEntry[]): RequestGroup[] {
  const groups: RequestGroup[] = [];
  const seen = new Set<string>();
  for (const view of [...views].reverse()) {
    const batch = view.batchId ? batches.find((candidate) => candidate.id === view.batchId) : undefined;
    if (!batch) {
      groups.push({ kind: "single", view });
      continue;
    }
    if (seen.has(batch.id)) continue;
    seen.add(batch.id);
    groups.push({ kind: batch.kind, batch: selectBatchView(batch, views), views: views.filter((member) => member.batchId === batch.id) });
  }
  return groups;
}

/** One column of a compare: its request, and whether it is the one the user kept. */
export interface CompareColumn {
  view: RequestView;
  kept: boolean;
  /** Offer "Keep this": it ended with at least one image and is not kept yet. */
  canKeep: boolean;
}

export function selectCompareColumns(batch: BatchView, views: readonly RequestView[]): CompareColumn[] {
  return views.map((view) => ({ view, kept: batch.keptId === view.id, canKeep: view.final && view.outputs.length > 0 && batch.keptId !== view.id }));
}
