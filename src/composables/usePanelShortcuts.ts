import { onScopeDispose, ref } from "vue";
import { selectRequestCard } from "../../machines/index.ts";
import { shortcutOf } from "../keyboard/shortcuts.ts";
import { useDraftStore } from "../stores/draft.store.ts";
import { usePanelStore } from "../stores/panel.store.ts";

/**
 * The panel's single-key shortcuts (the composer has Ctrl+Enter, the viewer its arrows): "?" opens
 * the sheet that lists them, G and E switch Generate and Edit, R retries the newest failed request,
 * Shift+R runs the newest finished one again. None fires while the user types in a field.
 */
export function usePanelShortcuts() {
  const draft = useDraftStore();
  const panel = usePanelStore();
  const sheetOpen = ref(false);
  // Newest first: the request a retry or run-again means is the latest that offers it.
  const newest = (kind: "requests.retry" | "requests.runAgain") =>
    [...panel.views].sort((a, b) => b.createdAt - a.createdAt).find((view) => selectRequestCard(view).retry === kind);

  function onKeydown(event: KeyboardEvent) {
    if (event.defaultPrevented) return;
    const action = shortcutOf(event);
    if (!action) return;
    if (action === "help") sheetOpen.value = true;
    else if (action === "generateMode" || action === "editMode") draft.update({ mode: action === "editMode" ? "edit" : "generate" });
    else {
      const view = newest(action === "retry" ? "requests.retry" : "requests.runAgain");
      if (!view) return;
      panel.retry(view.id);
    }
    event.preventDefault();
  }
  // With nothing focused the keys go to the page's body, not the panel: take those too (never
  // another element of the host's page).
  const onBody = (event: KeyboardEvent) => {
    if (event.target === document.body) onKeydown(event);
  };
  document.addEventListener("keydown", onBody);
  onScopeDispose(() => document.removeEventListener("keydown", onBody));
  return { onKeydown, sheetOpen };
}
