import { createPluginLogger } from "@haloforge/plugin-sdk";
import { useSelector } from "@xstate/vue";
import { defineStore } from "pinia";
import { computed, inject, onScopeDispose, reactive, ref, shallowRef, watch, type InjectionKey, type Plugin } from "vue";
import { createActor, type Subscription } from "xstate";
import {
  createLogSink,
  providePanelEffects,
  selectGatewayStatus,
  selectRequestViews,
  type BuildFlavour,
  type CustomEndpointFacts,
  type PanelEffects,
  type PanelEvent,
  type RequestLogEvent,
  type RequestView,
} from "../../machines/index.ts";
import { createGatewayCalls, type MockCall } from "../adapters/gatewayCalls.ts";
import { watchHost } from "../adapters/hostWatcher.ts";
import { hasManagedGateway, probeManagedSession } from "../adapters/managedGateway.ts";
import { apiKeyStatus, clearApiKey, saveApiKey, testConnection, type CommandMessage, type ConnectionResult } from "../gateways/apiKey.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { useHistoryStore } from "./history.store.ts";
import { useSettingsStore } from "./settings.store.ts";

export interface WorkspaceOptions {
  flavour: BuildFlavour;
  mock?: MockCall;
  now?: () => number;
  /** Replaces host effects (the watcher, the probe) in tests of the panel. */
  effects?: Partial<Pick<PanelEffects, "watchHost" | "probeSession">>;
  /** Settle one by one after the panel's first paint, each in its own idle period (mountPanel). Immediate when absent. */
  afterPaint?: AfterPaint;
}

/**
 * What waits for the panel's first paint, in this order: the requests, results and history
 * sections, the composer's option lists (a closed select shows only its chosen one), the draft's
 * checks with the estimate, then the key status. The session probe waits longer (its debounce).
 */
export const AFTER_PAINT = ["requests", "results", "history", "options", "checks", "keyStatus"] as const;
export type AfterPaint = Record<(typeof AFTER_PAINT)[number], Promise<void>>;

const WORKSPACE_OPTIONS: InjectionKey<WorkspaceOptions> = Symbol("hfmig-workspace-options");
/** The app plugin that gives a panel its build flavour and effects (mountPanel; tests pass fakes). */
export const workspaceOptions = (options: WorkspaceOptions): Plugin => ({ install: (app) => void app.provide(WORKSPACE_OPTIONS, options) });

/**
 * The one bridge between the panel's core (the root panel actor) and the components: its
 * selectors and `send`. History is written from the events the core emits.
 */
export const useWorkspaceStore = defineStore("workspace", () => {
  const options = inject(WORKSPACE_OPTIONS, { flavour: "production" });
  const settingsStore = useSettingsStore();
  const history = useHistoryStore();
  const now = options.now ?? Date.now;
  const keySet = shallowRef(false);
  const afterPaint = options.afterPaint;
  const shown = reactive({ requests: false, results: false, history: false, options: false, checks: false });
  for (const step of Object.keys(shown) as (keyof typeof shown)[]) void (afterPaint?.[step] ?? Promise.resolve()).then(() => (shown[step] = true));

  const customFacts = (): CustomEndpointFacts => {
    const check = settingsStore.baseUrlCheck;
    return check.ok
      ? { baseUrl: check.normalized, valid: true, keySet: keySet.value }
      : { baseUrl: settingsStore.settings.baseUrl || undefined, valid: false, keySet: keySet.value };
  };
  const queueSettings = () => {
    const { settings } = settingsStore;
    return { concurrency: settings.concurrency, timeoutMs: settings.timeoutSeconds * 1000, maxRetries: settings.maxRetries };
  };

  const logSink = createLogSink(createPluginLogger("gateway"));
  const logs = shallowRef(new Map<string, RequestLogEvent[]>());
  const machine = providePanelEffects({
    ...createGatewayCalls({
      customConfig: () => {
        const { settings } = settingsStore;
        const check = settingsStore.baseUrlCheck;
        return {
          baseUrl: check.ok ? check.normalized : settings.baseUrl,
          apiType: settings.apiType,
          allowInsecureHttp: settings.allowInsecureHttp,
          timeoutMs: settings.timeoutSeconds * 1000,
          responsesModel: settings.responsesModel,
          ...(settings.streamPartials ? { partialImages: settings.partialImages } : {}),
        };
      },
      ...(options.mock ? { mock: options.mock } : {}),
    }),
    log: (event) => {
      logSink(event);
      // Kept for the card's diagnostics: exactly the records written, already redacted.
      logs.value = new Map(logs.value).set(event.requestId, [...(logs.value.get(event.requestId) ?? []), event]);
    },
    watchHost: options.effects?.watchHost ?? ((sendBack) => watchHost(sendBack)),
    probeSession: options.effects?.probeSession ?? (() => probeManagedSession()),
  });
  const panel = createActor(machine, {
    input: {
      gateway: {
        mode: settingsStore.settings.mode,
        host: { managed: hasManagedGateway() ? "unknown" : "absent" },
        custom: customFacts(),
        flavour: options.flavour,
      },
      settings: queueSettings(),
      now,
      random: Math.random,
    },
  });

  // History follows the core's events: a request enters it when accepted (with its validated
  // input) and is settled once when it ends. Refused input never becomes history.
  const views = shallowRef<RequestView[]>([]);
  const viewOf = (id: string) => views.value.find((view) => view.id === id);
  panel.on("request.accepted", (event) => history.accept(event.id, event.createdAt, event.input));
  panel.on("request.sent", (event) => history.markSent(event.id, event.kind, now()));
  // Each successful probe lists the gateway's saved outputs: what a reload cut off may be there.
  panel.on("outputs.listed", (event) => history.recover(event.outputs));
  panel.on("request.ended", (event) => {
    refresh();
    const view = viewOf(event.id);
    if (view) history.settle(view);
  });

  // Views change when the panel or any request changes, and on a clock only while one runs: every
  // second, every tenth of a second while one waits to retry (its countdown). No timer when idle.
  const childSubscriptions = new Map<string, Subscription>();
  let ticker: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    const snapshot = panel.getSnapshot();
    for (const entry of snapshot.context.requests) {
      if (!childSubscriptions.has(entry.id)) childSubscriptions.set(entry.id, entry.ref.subscribe({ next: () => refresh(), error: () => refresh() }));
    }
    for (const [id, subscription] of childSubscriptions) {
      if (!snapshot.context.requests.some((entry) => entry.id === id)) {
        subscription.unsubscribe();
        childSubscriptions.delete(id);
        if (logs.value.delete(id)) logs.value = new Map(logs.value);
      }
    }
    views.value = selectRequestViews(snapshot, now());
    clearTimeout(ticker);
    const running = views.value.filter((view) => !view.final);
    ticker = running.length ? setTimeout(refresh, running.some((view) => view.phase === "waitingRetry") ? 100 : 1_000) : undefined;
  };
  const panelSubscription = panel.subscribe(() => refresh());
  panel.start();

  const send = (event: PanelEvent) => panel.send(event);
  watch(
    [() => settingsStore.settings, keySet],
    ([settings]) => send({ type: "settings.changed", settings: queueSettings(), gateway: { type: "settings.changed", mode: settings.mode, custom: customFacts() } }),
    { deep: true },
  );

  const gateway = computed(() => panel.getSnapshot().children.gateway!);
  const gatewayContext = useSelector(gateway.value, (snapshot) => snapshot.context);
  const probing = useSelector(panel, (snapshot) => snapshot.matches("probing"));
  const status = computed(() => selectGatewayStatus(gatewayContext.value, probing.value));

  onScopeDispose(() => {
    clearTimeout(ticker);
    panelSubscription.unsubscribe();
    for (const subscription of childSubscriptions.values()) subscription.unsubscribe();
    // Stopping first: no request may start while the actors are torn down.
    panel.send({ type: "panel.stopping" });
    panel.stop();
  });

  // The key and connection commands: their results are facts for gateway selection (a key set, an
  // endpoint that answered), so they run here, not in the settings view.
  const key = shallowRef<{ set?: boolean; place?: MessageKey; error?: CommandMessage }>({});
  const applyKey = (result: Awaited<ReturnType<typeof apiKeyStatus>>) => {
    if (!result.ok) return void (key.value = { ...key.value, error: result.error });
    key.value = { set: result.apiKeySet, ...(result.place ? { place: result.place } : {}) };
    keySet.value = result.apiKeySet;
  };
  void (afterPaint?.keyStatus ?? Promise.resolve()).then(() => apiKeyStatus()).then(applyKey);
  const connection = shallowRef<ConnectionResult>();
  const testing = ref(false);
  // A result speaks only of the URL it tested: it goes when the URL (or the http opt-in) changes.
  const tested = () => `${settingsStore.settings.baseUrl}\n${settingsStore.settings.allowInsecureHttp}`;
  watch(tested, () => (connection.value = undefined));
  const testEndpoint = async () => {
    const check = settingsStore.baseUrlCheck;
    if (!check.ok) return void (connection.value = { ok: false, message: { key: `baseUrl.${check.problem}` } });
    const url = tested();
    testing.value = true;
    const result = await testConnection(check.normalized, settingsStore.settings.allowInsecureHttp);
    testing.value = false;
    // What the test proved counts only for the URL it tested: a late answer for another is dropped.
    if (url !== tested()) return;
    connection.value = result;
    if (result.outcome) send({ type: "custom.tested", outcome: result.outcome });
  };

  return {
    /** When this panel opened: the session's usage total counts the requests since. */
    sessionStart: now(),
    /** Which of the parts that wait for the first paint (AFTER_PAINT) show by now. */
    shown,
    status,
    mode: computed(() => gatewayContext.value.mode),
    notice: computed(() => gatewayContext.value.notice),
    views,
    logs,
    send,
    submit: (input: unknown) => send({ type: "user.submit", input }),
    cancel: (id: string) => send({ type: "user.cancel", id }),
    cancelQueued: () => send({ type: "user.cancelQueued" }),
    retry: (id: string) => send({ type: "user.retry", id }),
    remove: (id: string) => send({ type: "user.remove", id }),
    checkSession: () => send({ type: "user.checkSession" }),
    dismissNotice: () => send({ type: "notice.dismissed" }),
    key,
    // Settings ask again when they open: the backend moves a key it finds in the host settings then.
    refreshKey: async () => applyKey(await apiKeyStatus()),
    // An empty key is refused here, with the reason: the backend never sees it.
    saveKey: async (value: string) => (value ? applyKey(await saveApiKey(value)) : void (key.value = { ...key.value, error: { key: "key.empty" } })),
    clearKey: async () => applyKey(await clearApiKey()),
    connection,
    testing,
    testEndpoint,
  };
});
