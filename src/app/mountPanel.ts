import { createApp, ref } from "vue";
import { createPinia, disposePinia } from "pinia";
import { callMockGateway } from "../adapters/mockGateway.ts";
import { hasManagedGateway, probeManagedSession } from "../adapters/managedGateway.ts";
import { watchHost } from "../adapters/hostWatcher.ts";
import { runKeyCommand } from "../endpoint/apiKey.ts";
import { testEndpoint } from "../endpoint/connectionTest.ts";
import { historyWhen, indexedDbHistory, memoryHistory } from "../history/historyBackend.ts";
import { createTranslator, hostLocale, type Locale } from "../i18n/i18n.ts";
import { MOCK_MESSAGES } from "../i18n/mockMessages.ts";
import { indexedDbReferenceDraft, memoryReferenceDraft, referenceDraftWhen } from "../persistence/referenceDraft.ts";
import { afterFirstPaint } from "./afterFirstPaint.ts";
import { AFTER_PAINT, panelEnvironment, type AfterPaint, type PanelEnvironment } from "./panelEnvironment.ts";
import PanelRoot from "./PanelRoot.vue";

// Statically false in production builds, so the mock gateway and its strings are tree-shaken away.
// MODE, not DEV: `vite build --mode development` keeps DEV false for library builds.
const DEVELOPMENT = import.meta.env.MODE !== "production";

/**
 * Mounts the Vue panel with a fresh Pinia into `element` and returns the function that undoes it
 * completely: the app is unmounted (components, watchers, listeners) and every store is disposed.
 * This is the one place that reads the browser and the host: the panel's environment.
 */
export function mountPanel(element: HTMLElement): () => void {
  const storage = globalThis.localStorage as Storage | undefined;
  // The host's locale, re-read whenever it may have changed (below).
  const locale = ref<Locale>("en");
  const readLocale = () => void (locale.value = hostLocale(storage, globalThis.navigator?.language));
  readLocale();
  // What the first paint need not wait for, one idle period each (AFTER_PAINT); IndexedDB opens
  // last (a host without it keeps history and the references draft in memory).
  const next = afterFirstPaint();
  const afterPaint = Object.fromEntries(AFTER_PAINT.map((step) => [step, next()])) as AfterPaint;
  const idb = globalThis.indexedDB as IDBFactory | undefined;
  const environment: PanelEnvironment = {
    flavour: DEVELOPMENT ? "development" : "production",
    modes: DEVELOPMENT ? ["auto", "cloud", "mock"] : ["auto", "cloud"],
    storage,
    historyBackend: () => historyWhen(afterPaint.historyStore, () => (idb ? indexedDbHistory(idb) : memoryHistory())),
    referenceDraft: () => referenceDraftWhen(afterPaint.referenceDraft, () => (idb ? indexedDbReferenceDraft(idb) : memoryReferenceDraft())),
    objectUrls: { create: (blob) => URL.createObjectURL(blob), revoke: (url) => URL.revokeObjectURL(url) },
    now: Date.now,
    random: Math.random,
    locale,
    t: createTranslator(locale, DEVELOPMENT ? MOCK_MESSAGES : undefined).t,
    host: { hasManagedGateway, watch: (sendBack) => watchHost(sendBack), probeSession: () => probeManagedSession() },
    native: { keyCommand: runKeyCommand, testConnection: testEndpoint },
    ...(DEVELOPMENT ? { mock: (input, signal) => callMockGateway(input, signal) } : {}),
    afterPaint,
  };
  // Follow the host's locale while open: another window's change fires `storage`; a change made in
  // this window fires nothing, so re-read when the panel's window comes back into view.
  const onStorage = (event: StorageEvent) => {
    if (event.key === "hf:locale" || event.key === null) readLocale(); // null: storage was cleared
  };
  window.addEventListener("storage", onStorage);
  window.addEventListener("focus", readLocale);
  document.addEventListener("visibilitychange", readLocale);

  const pinia = createPinia();
  const app = createApp(PanelRoot);
  app.use(pinia);
  app.use(panelEnvironment(environment));
  app.mount(element);
  return () => {
    window.removeEventListener("storage", onStorage);
    window.removeEventListener("focus", readLocale);
    document.removeEventListener("visibilitychange", readLocale);
    app.unmount();
    disposePinia(pinia);
  };
}
