import { inject, reactive, type InjectionKey, type Plugin, type Ref } from "vue";
import type { BuildFlavour, GatewayMode, PanelEffects, ProbeAnswer } from "../../machines/index.ts";
import type { MockCall } from "../adapters/gatewayCalls.ts";
import type { HistoryBackend } from "../history/historyBackend.ts";
import type { Locale, Translate } from "../i18n/i18n.ts";
import { I18N_KEY } from "../composables/useI18n.ts";
import type { ReferenceDraftBackend } from "../persistence/referenceDraft.ts";

/**
 * What waits for the panel's first paint, in this order, one idle period each: the requests,
 * results and history sections (what a user sees first), the panel's core (the root actor, the
 * largest piece; an event sent before then starts it at once), the composer's option lists (a
 * closed select shows only its chosen one), the draft's checks with the estimate, the key status, then opening history and the
 * references draft from IndexedDB. The session probe waits longer (its debounce).
 */
export const AFTER_PAINT = ["requests", "results", "history", "core", "options", "checks", "keyStatus", "historyStore", "referenceDraft"] as const;
export type AfterPaintStep = (typeof AFTER_PAINT)[number];
export type AfterPaint = Record<AfterPaintStep, Promise<void>>;

/** Everything a panel reads from the world, given once at mount (mountPanel) and injected by every store. */
export interface PanelEnvironment {
  flavour: BuildFlavour;
  /** The gateway modes the switcher offers (mock in development builds only). */
  modes: GatewayMode[];
  /** Where settings, the draft and the storage-full notes live (localStorage in the panel). */
  storage: Pick<Storage, "getItem" | "setItem"> | undefined;
  /** Each called once per store, which closes what it returns on unmount. */
  historyBackend: () => HistoryBackend;
  referenceDraft: () => ReferenceDraftBackend;
  objectUrls: { create(blob: Blob): string; revoke(url: string): void };
  now: () => number;
  random: () => number;
  locale: Ref<Locale>;
  t: Translate;
  /** The host: its managed gateway, the watcher of its facts, the free session probe. */
  host: { hasManagedGateway(): boolean; watch: PanelEffects["watchHost"]; probeSession(): Promise<ProbeAnswer> };
  /** The native backend's key and connection commands. */
  native: Required<Pick<PanelEffects, "keyCommand" | "testConnection">>;
  /** The development build's mock gateway. */
  mock?: MockCall;
  afterPaint: AfterPaint;
}

const PANEL_ENVIRONMENT: InjectionKey<PanelEnvironment> = Symbol("hfmig-panel-environment");

/** The app plugin that gives a panel its environment (and the translator its components use). */
export const panelEnvironment = (environment: PanelEnvironment): Plugin => ({
  install: (app) => {
    app.provide(PANEL_ENVIRONMENT, environment);
    app.provide(I18N_KEY, environment.t);
  },
});

export function usePanelEnvironment(): PanelEnvironment {
  const environment = inject(PANEL_ENVIRONMENT, undefined);
  if (!environment) throw new Error("The panel's stores need its environment (panelEnvironment, installed by mountPanel).");
  return environment;
}

/** Which parts that wait for the first paint (AFTER_PAINT) show by now. */
export function shownAfterPaint(afterPaint: AfterPaint): Record<AfterPaintStep, boolean> {
  const shown = reactive(Object.fromEntries(AFTER_PAINT.map((step) => [step, false])) as Record<AfterPaintStep, boolean>);
  for (const step of AFTER_PAINT) void afterPaint[step].then(() => (shown[step] = true));
  return shown;
}
