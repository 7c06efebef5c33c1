import { createApp } from "vue";
import { createPinia, disposePinia } from "pinia";
import FloorPanel from "./FloorPanel.vue";

export function mountFloorPanel(element: HTMLElement): () => void {
  const pinia = createPinia();
  const app = createApp(FloorPanel);
  app.use(pinia);
  app.mount(element);
  return () => {
    app.unmount();
    disposePinia(pinia);
  };
}
