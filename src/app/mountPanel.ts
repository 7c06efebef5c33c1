import { createApp } from "vue";
import { createPinia, disposePinia } from "pinia";
import PanelRoot from "./PanelRoot.vue";

/**
 * Mounts the Vue panel with a fresh Pinia into `element` and returns the function that undoes it
 * completely: the app is unmounted (components, watchers, listeners) and every store is disposed.
 */
export function mountPanel(element: HTMLElement): () => void {
  const pinia = createPinia();
  const app = createApp(PanelRoot);
  app.use(pinia);
  app.mount(element);
  return () => {
    app.unmount();
    disposePinia(pinia);
  };
}
