import { createApp, ref } from "vue";
import { createPinia, disposePinia } from "pinia";
import type { GatewayMode } from "../../machines/index.ts";
import { addMessages, createTranslator, hostLocale } from "../i18n/i18n.ts";
import { callMockGateway } from "../gateways/mockGateway.ts";
import { indexedDbHistory, memoryHistory } from "../history/historyBackend.ts";
import { indexedDbReferenceDraft, memoryReferenceDraft } from "../persistence/referenceDraft.ts";
import { configureHistory } from "../stores/history.store.ts";
import { configureReferenceDraft } from "../stores/references.store.ts";
import { configureWorkspace } from "../stores/workspace.store.ts";
import PanelRoot from "./PanelRoot.vue";

// Statically false in production builds, so the mock gateway and its strings are tree-shaken away.
// MODE, not DEV: `vite build --mode development` keeps DEV false for library builds.
const DEVELOPMENT = import.meta.env.MODE !== "production";

/**
 * Mounts the Vue panel with a fresh Pinia into `element` and returns the function that undoes it
 * completely: the app is unmounted (components, watchers, listeners) and every store is disposed.
 */
export function mountPanel(element: HTMLElement): () => void {
  const locale = hostLocale(globalThis.localStorage, globalThis.navigator?.language);
  if (DEVELOPMENT) {
    addMessages({
      "gateway.label.mock": "Mock gateway",
      "gateway.mode.mock": "Mock",
      "reason.mockInDevelopment":
        locale === "zh" ? "自动模式选择了模拟网关：此开发版本中没有配置其他网关。" : "Auto chose the mock gateway: nothing else is configured in this development build.",
    });
    configureWorkspace({ flavour: "development", mock: (input, signal) => callMockGateway(input, signal) });
  } else {
    configureWorkspace({ flavour: "production" });
  }
  // History and the references draft live in IndexedDB; a host without it keeps them in memory.
  const idb = globalThis.indexedDB as IDBFactory | undefined;
  configureHistory({ backend: () => (idb ? indexedDbHistory(idb) : memoryHistory()) });
  configureReferenceDraft(() => (idb ? indexedDbReferenceDraft(idb) : memoryReferenceDraft()));
  const modes: GatewayMode[] = DEVELOPMENT ? ["auto", "cloud", "custom", "mock"] : ["auto", "cloud", "custom"];
  const { t } = createTranslator(ref(locale));

  const pinia = createPinia();
  const app = createApp(PanelRoot, { t, modes });
  app.use(pinia);
  app.mount(element);
  return () => {
    app.unmount();
    disposePinia(pinia);
  };
}
