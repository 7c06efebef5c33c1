import { createPluginLogger } from "@haloforge/plugin-sdk";
import { defineStore, getActivePinia } from "pinia";
import { computed, onScopeDispose, shallowRef, watch } from "vue";
import { createActor, type Actor, type Subscription } from "xstate";
import { createLogSink, initialGatewayContext, providePanelEffects, selectGatewayStatus, testedEndpoint, type BatchItem, type CompareFacts, type GatewayContext, type PanelContext, type PanelMachine, type PanelEvent } from "../../machines/index.ts";
import { panelEffects } from "../adapters/panelEffects.ts";
import { requestViews } from "../bridge/requestViews.ts";
import { settingsEvent } from "../bridge/settingsEvent.ts";
import { shownAfterPaint, usePanelEnvironment } from "../app/panelEnvironment.ts";
import type { CommandMessage } from "../endpoint/apiKey.ts";
import type { ConnectionResult } from "../endpoint/connectionTest.ts";
import { writeHistoryFrom } from "../history/historySink.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { endpointOf } from "../profiles/endpointOf.ts";
import { useHistoryStore } from "./history.store.ts";
import { useModelsStore } from "./models.store.ts";
import { useSettingsStore } from "./settings.store.ts";

type CoreView = Pick<PanelContext, "keys" | "connection" | "connectionFor" | "testing" | "batches"> & { probing: boolean };

/**
 * The one bridge between the panel's core (the root panel actor) and the components: it starts the
 * actor, selects and sends. The actor starts after the first paint (`afterPaint.core`), or at the
 * first event sent before then; until it runs, the gateway shows the gateway machine's first context.
 */
export const usePanelStore = defineStore("panel", () => {
  const environment = usePanelEnvironment();
  const settingsStore = useSettingsStore();
  const requests = requestViews(environment.now);
  const settings = () => settingsEvent(settingsStore.settings, settingsStore.activeProfile, settingsStore.checkOf);
  const gatewayInput = (gateway: ReturnType<typeof settings>["gateway"]) => ({
    mode: gateway.mode,
    host: { managed: environment.host.hasManagedGateway() ? ("unknown" as const) : ("absent" as const) },
    custom: gateway.custom,
    flavour: environment.flavour,
  });
  const gatewayContext = shallowRef<GatewayContext>(initialGatewayContext(gatewayInput(settings().gateway)));
  const core = shallowRef<CoreView>({ keys: {}, batches: [], probing: false });

  let panel: Actor<PanelMachine> | undefined;
  let stopped = false;
  const subscriptions: Subscription[] = [];
  let stopHistory = () => {};
  const start = (): Actor<PanelMachine> => {
    if (panel) return panel;
    const logSink = createLogSink(createPluginLogger("gateway"));
    const machine = providePanelEffects(panelEffects(environment, (event) => (logSink(event), requests.log(event))));
    const { settings: queue, gateway, endpoint, profiles } = settings();
    const actor = createActor(machine, {
      input: { gateway: gatewayInput(gateway), settings: queue, ...(endpoint ? { endpoint } : {}), profiles, now: environment.now, random: environment.random },
    });
    panel = actor;
    // History's store is made when the first request or listing reaches it, or when its section renders.
    const pinia = getActivePinia();
    stopHistory = writeHistoryFrom(actor, () => useHistoryStore(pinia), environment.now);
    requests.follow(actor);
    subscriptions.push(
      // What the native backend did with a profile's key, remembered in the settings (never the key).
      actor.on("key.stored", (event) => settingsStore.keyStoredFor(event.profileId, event.baseUrl)),
      actor.on("key.cleared", (event) => settingsStore.keyCleared(event.profileId)),
      actor.on("key.adoptSettled", () => settingsStore.legacyKeySettled()),
      actor.subscribe((snapshot) => {
        const { keys, connection, connectionFor, testing, batches } = snapshot.context;
        const previous = core.value;
        core.value = { keys, connection, connectionFor, testing, batches, probing: snapshot.matches("probing") };
        // A test's listing is each profile's model cache, with its time.
        const profileId = connectionFor?.split("\n")[0];
        if (connection !== previous.connection && connection?.models && connection.fetchedAt !== undefined && profileId) useModelsStore(pinia).remember(profileId, connection.models, connection.fetchedAt);
      }),
    );
    actor.start();
    const gatewayRef = actor.getSnapshot().children.gateway!;
    gatewayContext.value = gatewayRef.getSnapshot().context;
    subscriptions.push(gatewayRef.subscribe((snapshot) => (gatewayContext.value = snapshot.context)));
    return actor;
  };
  const send = (event: PanelEvent) => {
    if (!stopped) start().send(event);
  };
  watch(settings, send, { deep: true });
  /** The URL a key is saved for: the normalized one the calls will use. */
  const keyBaseUrl = (profileId: string) => {
    const profile = settingsStore.profileById(profileId);
    const check = settingsStore.checkOf(profile);
    return check.ok ? check.normalized : (profile?.baseUrl ?? "");
  };
  void environment.afterPaint.core.then(() => {
    if (stopped) return;
    start();
    // An older version's key is moved to the profile its settings became, once (the backend answers
    // "none to move" to any later call, so nothing can be rebound).
    const legacy = settingsStore.settings.legacyKeyProfileId;
    if (legacy) send({ type: "key.adopt", profileId: legacy, baseUrl: keyBaseUrl(legacy) });
  });
  void environment.afterPaint.keyStatus.then(() => settingsStore.activeProfile && send({ type: "key.check", profileId: settingsStore.activeProfile.id }));

  onScopeDispose(() => {
    if (!panel) return void (stopped = true);
    requests.stop();
    stopHistory();
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    // Stopping first: no request may start while the actors are torn down.
    send({ type: "panel.stopping" });
    stopped = true;
    panel.stop();
  });

  return {
    /** When this panel opened: the session's usage total counts the requests since. */
    sessionStart: environment.now(),
    /** Which of the parts that wait for the first paint (AFTER_PAINT) show by now. */
    shown: shownAfterPaint(environment.afterPaint),
    status: computed(() => selectGatewayStatus(gatewayContext.value, core.value.probing)),
    mode: computed(() => gatewayContext.value.mode),
    notice: computed(() => gatewayContext.value.notice),
    views: requests.views,
    logs: requests.logs,
    send,
    // The key's words are the panel catalogue's keys (the core carries them untyped).
    keyOf: (profileId: string) => (core.value.keys[profileId] ?? {}) as { set?: boolean; place?: MessageKey; error?: CommandMessage },
    /** The newest connection test's result, when it tested this profile as it is configured now. */
    connectionOf: (profileId: string) => {
      const profile = settingsStore.profileById(profileId);
      return profile && core.value.connectionFor === testedEndpoint(endpointOf(profile, settingsStore.checkOf(profile))) ? (core.value.connection as ConnectionResult | undefined) : undefined;
    },
    testing: computed(() => core.value.testing !== undefined),
    submit: (input: unknown) => send({ type: "user.submit", input }),
    /** Batches and compares: their requests, grouped, and the facts a compare target resolves from. */
    batches: computed(() => core.value.batches),
    gatewayFacts: computed<CompareFacts>(() => ({
      host: gatewayContext.value.host,
      custom: gatewayContext.value.custom,
      flavour: gatewayContext.value.flavour,
      // Every profile a compare target may name, with whether the backend said its key is saved.
      profiles: Object.fromEntries(
        settingsStore.settings.profiles.map((profile) => [
          profile.id,
          { name: profile.name, valid: settingsStore.checkOf(profile).ok, needsKey: profile.auth !== "none", ...(core.value.keys[profile.id]?.set !== undefined ? { keySet: core.value.keys[profile.id]!.set } : {}) },
        ]),
      ),
    })),
    submitBatch: (plan: { kind: "batch" | "compare"; items: BatchItem[] }) => send({ type: "user.submitBatch", kind: plan.kind, items: plan.items }),
    cancelBatch: (batchId: string) => send({ type: "user.cancelBatch", batchId }),
    keep: (id: string) => send({ type: "user.keep", id }),
    cancel: (id: string) => send({ type: "user.cancel", id }),
    cancelQueued: () => send({ type: "user.cancelQueued" }),
    retry: (id: string) => send({ type: "user.retry", id }),
    remove: (id: string) => send({ type: "user.remove", id }),
    checkSession: () => send({ type: "user.checkSession" }),
    dismissNotice: () => send({ type: "notice.dismissed" }),
    // Settings ask again when they open: the backend moves a key it finds in the host settings then.
    refreshKey: (profileId: string) => send({ type: "key.check", profileId }),
    saveKey: (profileId: string, apiKey: string) => send({ type: "user.saveKey", profileId, baseUrl: keyBaseUrl(profileId), apiKey }),
    clearKey: (profileId: string) => send({ type: "user.clearKey", profileId }),
    /** Deletes a profile and its key; a request already made through it finishes there. */
    deleteProfile: (profileId: string) => {
      send({ type: "user.clearKey", profileId });
      settingsStore.removeProfile(profileId);
      useModelsStore().forget(profileId);
    },
    testEndpoint: (profileId: string) => {
      const profile = settingsStore.profileById(profileId);
      if (profile) send({ type: "user.testConnection", endpoint: endpointOf(profile, settingsStore.checkOf(profile)) });
    },
  };
});
