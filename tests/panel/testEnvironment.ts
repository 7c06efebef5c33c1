import { createPinia, setActivePinia } from "pinia";
import { createApp, ref, type App } from "vue";
import { hasManagedGateway, probeManagedSession } from "../../src/adapters/managedGateway.ts";
import { watchHost } from "../../src/adapters/hostWatcher.ts";
import { AFTER_PAINT, panelEnvironment, type AfterPaint, type PanelEnvironment } from "../../src/app/panelEnvironment.ts";
import { runKeyCommand } from "../../src/endpoint/apiKey.ts";
import { testEndpoint } from "../../src/endpoint/connectionTest.ts";
import { memoryHistory } from "../../src/history/historyBackend.ts";
import { createTranslator, type Locale } from "../../src/i18n/i18n.ts";
import { MOCK_MESSAGES } from "../../src/i18n/mockMessages.ts";
import { memoryReferenceDraft } from "../../src/persistence/referenceDraft.ts";

type Overrides = Partial<Omit<PanelEnvironment, "locale" | "t" | "host">> & { locale?: Locale; host?: Partial<PanelEnvironment["host"]> };

/**
 * The panel's environment in tests: jsdom's localStorage, history and the references draft in
 * memory, the real host and native adapters (tests answer through the fake host's IPC), nothing
 * waiting for a paint; a production build unless told otherwise.
 */
export function testEnvironment({ locale = "en", host, ...overrides }: Overrides = {}): PanelEnvironment {
  const flavour = overrides.flavour ?? "production";
  const localeRef = ref<Locale>(locale);
  const afterPaint = Object.fromEntries(AFTER_PAINT.map((step) => [step, Promise.resolve()])) as AfterPaint;
  return {
    flavour,
    modes: flavour === "development" ? ["auto", "cloud", "mock"] : ["auto", "cloud"],
    storage: globalThis.localStorage,
    historyBackend: () => memoryHistory(),
    referenceDraft: () => memoryReferenceDraft(),
    objectUrls: { create: (blob) => globalThis.URL?.createObjectURL?.(blob) ?? "", revoke: (url) => globalThis.URL?.revokeObjectURL?.(url) },
    now: Date.now,
    random: Math.random,
    locale: localeRef,
    t: createTranslator(localeRef, flavour === "development" ? MOCK_MESSAGES : undefined).t,
    host: { hasManagedGateway, watch: (sendBack) => watchHost(sendBack), probeSession: () => probeManagedSession(), ...host },
    native: { keyCommand: runKeyCommand, testConnection: testEndpoint },
    afterPaint,
    ...overrides,
  };
}

/** An app with a fresh Pinia and `environment`, its Pinia active: for stores used without a component. */
export function testApp(environment: PanelEnvironment = testEnvironment()): App {
  const app = createApp({});
  const pinia = createPinia();
  app.use(pinia);
  app.use(panelEnvironment(environment));
  setActivePinia(pinia);
  return app;
}

export { panelEnvironment };

/** Runs `use` (a store's `useXxxStore`) in a fresh app with `environment`. */
export const inTestApp = <T>(use: () => T, environment?: PanelEnvironment): T => testApp(environment).runWithContext(use);
