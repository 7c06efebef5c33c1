import type { Actor } from "xstate";
import { selectRequestViews, type PanelMachine } from "../../machines/index.ts";
import type { useHistoryStore } from "../stores/history.store.ts";

/**
 * History follows the core's events: a request enters it when accepted (with its validated input),
 * notes when its call went out, and is settled once when it ends; each successful probe's listing
 * of the gateway's saved outputs is what a reload cut off may be found in. Refused input never
 * becomes history. `history` gives the store, asked for on the first event (no first paint needs
 * it). Returns the function that stops following.
 */
export function writeHistoryFrom(panel: Actor<PanelMachine>, history: () => ReturnType<typeof useHistoryStore>, now: () => number): () => void {
  const subscriptions = [
    panel.on("request.accepted", (event) => history().accept(event.id, event.createdAt, event.input, event.batch)),
    panel.on("request.kept", (event) => history().keep(event.id, event.batchId)),
    panel.on("request.sent", (event) => history().markSent(event.id, event.kind, now())),
    panel.on("outputs.listed", (event) => history().recover(event.outputs)),
    panel.on("request.ended", (event) => {
      const view = selectRequestViews(panel.getSnapshot(), now()).find((ended) => ended.id === event.id);
      if (view) history().settle(view);
    }),
  ];
  return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
}
