import { createApp, ref } from "vue";
import { createPinia, disposePinia } from "pinia";
import type { GatewayMode } from "../../machines/index.ts";
import { addMessages, createTranslator, hostLocale, type Locale } from "../i18n/i18n.ts";
import { callMockGateway } from "../adapters/mockGateway.ts";
import { historyWhen, indexedDbHistory, memoryHistory } from "../history/historyBackend.ts";
import { storageFullMarks } from "../history/storageFullMarks.ts";
import { indexedDbReferenceDraft, memoryReferenceDraft, referenceDraftWhen } from "../persistence/referenceDraft.ts";
import { configureHistory } from "../stores/history.store.ts";
import { configureReferenceDraft } from "../stores/references.store.ts";
import { AFTER_PAINT, workspaceOptions, type AfterPaint } from "../stores/workspace.store.ts";
import { afterFirstPaint } from "./afterFirstPaint.ts";
import PanelRoot from "./PanelRoot.vue";

// Statically false in production builds, so the mock gateway and its strings are tree-shaken away.
// MODE, not DEV: `vite build --mode development` keeps DEV false for library builds.
const DEVELOPMENT = import.meta.env.MODE !== "production";

/**
 * Mounts the Vue panel with a fresh Pinia into `element` and returns the function that undoes it
 * completely: the app is unmounted (components, watchers, listeners) and every store is disposed.
 */
export function mountPanel(element: HTMLElement): () => void {
  // The host's locale, re-read whenever it may have changed (below). The dev-only mock strings are
  // set before the ref changes, so the re-render shows them in the new language too.
  const locale = ref<Locale>("en");
  const readLocale = () => {
    const next = hostLocale(globalThis.localStorage, globalThis.navigator?.language);
    if (DEVELOPMENT) {
      addMessages({
        "gateway.label.mock": "Mock gateway",
        "gateway.mode.mock": "Mock",
        "reason.mockInDevelopment":
          next === "zh" ? "自动模式选择了模拟网关：此开发版本中没有配置其他网关。" : "Auto chose the mock gateway: nothing else is configured in this development build.",
        "reason.mockSignedOut":
          next === "zh" ? "自动模式选择了模拟网关：你已退出 HaloForge，且未配置自定义端点。" : "Auto chose the mock gateway: you are signed out of HaloForge and no custom endpoint is configured.",
      });
    }
    locale.value = next;
  };
  readLocale();
  // What the first paint need not wait for, one idle period each: the workspace's parts
  // (AFTER_PAINT), then history and the references draft from IndexedDB (a host without it keeps
  // them in memory).
  const next = afterFirstPaint();
  const afterPaint = Object.fromEntries(AFTER_PAINT.map((step) => [step, next()])) as AfterPaint;
  const historyOpens = next();
  const referencesOpen = next();
  const idb = globalThis.indexedDB as IDBFactory | undefined;
  configureHistory({ backend: () => historyWhen(historyOpens, () => (idb ? indexedDbHistory(idb) : memoryHistory())), marks: storageFullMarks(globalThis.localStorage) });
  configureReferenceDraft(() => referenceDraftWhen(referencesOpen, () => (idb ? indexedDbReferenceDraft(idb) : memoryReferenceDraft())));
  const modes: GatewayMode[] = DEVELOPMENT ? ["auto", "cloud", "custom", "mock"] : ["auto", "cloud", "custom"];
  const { t } = createTranslator(locale);
  // Follow the host's locale while open: another window's change fires `storage`; a change made in
  // this window fires nothing, so re-read when the panel's window comes back into view.
  const onStorage = (event: StorageEvent) => {
    if (event.key === "hf:locale" || event.key === null) readLocale(); // null: storage was cleared
  };
  window.addEventListener("storage", onStorage);
  window.addEventListener("focus", readLocale);
  document.addEventListener("visibilitychange", readLocale);

  const pinia = createPinia();
  const app = createApp(PanelRoot, { t, modes });
  app.use(pinia);
  app.use(workspaceOptions(DEVELOPMENT ? { flavour: "development", mock: (input, signal) => callMockGateway(input, signal), afterPaint } : { flavour: "production", afterPaint }));
  app.mount(element);
  return () => {
    window.removeEventListener("storage", onStorage);
    window.removeEventListener("focus", readLocale);
    document.removeEventListener("visibilitychange", readLocale);
    app.unmount();
    disposePinia(pinia);
  };
}
