import { nextTick, onBeforeUnmount, onMounted, type Ref } from "vue";

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps keyboard focus inside a modal while it is mounted: focus moves into it on open, Tab and
 * Shift+Tab cycle through its controls (wrapping at both ends), and focus returns to whatever
 * opened it on close. Tab is handled in full rather than only at the ends, so the order is the
 * same whatever the browser would do with the backdrop or the page behind.
 * Hand-written: the dialogs are small and static, and focus-trap/tabbable would add a dependency
 * whose visibility checks need layout, which component tests (jsdom) do not have.
 */
export function useFocusTrap(container: Ref<HTMLElement | undefined>, { document: doc = globalThis.document }: { document?: Document } = {}) {
  let opener: HTMLElement | null = null;

  function onKeydown(event: KeyboardEvent) {
    if (event.key !== "Tab" || !container.value) return;
    const controls = [...container.value.querySelectorAll<HTMLElement>(FOCUSABLE)];
    event.preventDefault();
    if (!controls.length) return container.value.focus();
    const current = controls.indexOf(doc.activeElement as HTMLElement);
    // From the dialog itself (where focus lands on open), Tab goes to the first, Shift+Tab to the last.
    const next = current < 0 ? (event.shiftKey ? controls.length - 1 : 0) : (current + (event.shiftKey ? -1 : 1) + controls.length) % controls.length;
    controls[next]!.focus();
  }

  onMounted(() => {
    opener = doc.activeElement as HTMLElement | null;
    container.value?.addEventListener("keydown", onKeydown);
    void nextTick(() => container.value?.focus());
  });
  onBeforeUnmount(() => {
    container.value?.removeEventListener("keydown", onKeydown);
    opener?.focus?.();
  });
}
