import { shallowRef, type ShallowRef } from "vue";
import type { Actor, Subscription } from "xstate";
import { selectRequestViews, type PanelMachine, type RequestLogEvent, type RequestView } from "../../machines/index.ts";

/**
 * The request cards' views, recomputed when the panel or any request changes, and on a clock only
 * while one runs: every second, every tenth of a second while one waits to retry (its countdown).
 * No timer when idle. `logs` keeps each request's log records exactly as written (already
 * redacted) for its diagnostics, until the request is removed.
 */
export function requestViews(now: () => number) {
  const views: ShallowRef<RequestView[]> = shallowRef([]);
  const logs = shallowRef(new Map<string, RequestLogEvent[]>());
  const children = new Map<string, Subscription>();
  let ticker: ReturnType<typeof setTimeout> | undefined;
  let panel: Actor<PanelMachine> | undefined;
  const refresh = () => {
    if (!panel) return;
    const snapshot = panel.getSnapshot();
    for (const { id, ref } of snapshot.context.requests) if (!children.has(id)) children.set(id, ref.subscribe({ next: refresh, error: refresh }));
    for (const [id, subscription] of children) {
      if (snapshot.context.requests.some((entry) => entry.id === id)) continue;
      subscription.unsubscribe();
      children.delete(id);
      if (logs.value.delete(id)) logs.value = new Map(logs.value);
    }
    views.value = selectRequestViews(snapshot, now());
    clearTimeout(ticker);
    const running = views.value.filter((view) => !view.final);
    ticker = running.length ? setTimeout(refresh, running.some((view) => view.phase === "waitingRetry") ? 100 : 1_000) : undefined;
  };
  const log = (event: RequestLogEvent) => (logs.value = new Map(logs.value).set(event.requestId, [...(logs.value.get(event.requestId) ?? []), event]));
  let panelSubscription: Subscription | undefined;
  return {
    views,
    logs,
    log,
    /** Follows `actor` (from before it starts, so its first snapshot counts). */
    follow: (actor: Actor<PanelMachine>) => {
      panel = actor;
      panelSubscription = actor.subscribe(refresh);
    },
    stop: () => {
      clearTimeout(ticker);
      panelSubscription?.unsubscribe();
      for (const subscription of children.values()) subscription.unsubscribe();
    },
  };
}
