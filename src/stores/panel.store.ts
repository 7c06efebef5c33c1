import { createPluginLogger } from "@haloforge/plugin-sdk";
import { useSelector } from "@xstate/vue";
import { defineStore } from "pinia";
import { computed, onScopeDispose, watch } from "vue";
import { createActor } from "xstate";
import { createLogSink, providePanelEffects, selectGatewayStatus, testedEndpoint, type BatchItem, type PanelEvent } from "../../machines/index.ts";
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

/** The one bridge between the panel's core (the root panel actor) and the components: it starts the actor, selects and sends. */
export const usePanelStore = defineStore("panel", () => {
  const environment = usePanelEnvironment();
  const settingsStore = useSettingsStore();
  const requests = requestViews(environment.now);
  const logSink = createLogSink(createPluginLogger("gateway"));
  const machine = providePanelEffects(panelEffects(environment, (event) => (logSink(event), requests.log(event))));
  const models = useModelsStore();
  const settings = () => settingsEvent(settingsStore.settings, settingsStore.activeProfile, settingsStore.checkOf(settingsStore.activeProfile));
  const { settings: queue, gateway, endpoint } = settings();
  const host = { managed: environment.host.hasManagedGateway() ? ("unknown" as const) : ("absent" as const) };
  const panel = createActor(machine, {
    input: { gateway: { mode: gateway.mode, host, custom: gateway.custom, flavour: environment.flavour }, settings: queue, ...(endpoint ? { endpoint } : {}), now: environment.now, random: environment.random },
  });
  const stopHistory = writeHistoryFrom(panel, useHistoryStore(), environment.now);
  // What the native backend did with a profile's key, remembered in the settings (never the key).
  const keyFacts = [
    panel.on("key.stored", (event) => settingsStore.keyStoredFor(event.profileId, event.baseUrl)),
    panel.on("key.cleared", (event) => settingsStore.keyCleared(event.profileId)),
    panel.on("key.adoptSettled", () => settingsStore.legacyKeySettled()),
  ];
  requests.follow(panel);
  panel.start();
  const send = (event: PanelEvent) => panel.send(event);
  watch(settings, send, { deep: true });
  /** The URL a key is saved for: the normalized one the calls will use. */
  const keyBaseUrl = (profileId: string) => {
    const profile = settingsStore.profileById(profileId);
    const check = settingsStore.checkOf(profile);
    return check.ok ? check.normalized : (profile?.baseUrl ?? "");
  };
  // An older version's key is moved to the profile its settings became, once (the backend answers
  // "none to move" to any later call, so nothing can be rebound).
  const legacy = settingsStore.settings.legacyKeyProfileId;
  if (legacy) send({ type: "key.adopt", profileId: legacy, baseUrl: keyBaseUrl(legacy) });
  void environment.afterPaint.keyStatus.then(() => settingsStore.activeProfile && send({ type: "key.check", profileId: settingsStore.activeProfile.id }));

  const gatewayContext = useSelector(panel.getSnapshot().children.gateway!, (snapshot) => snapshot.context);
  const probing = useSelector(panel, (snapshot) => snapshot.matches("probing"));
  const keys = useSelector(panel, (snapshot) => snapshot.context.keys);
  const connection = useSelector(panel, (snapshot) => snapshot.context.connection);
  const connectionFor = useSelector(panel, (snapshot) => snapshot.context.connectionFor);
  // A test's listing is each profile's model cache, with its time.
  watch(connection, (answer) => {
    const profileId = connectionFor.value?.split("\n")[0];
    if (answer?.models && answer.fetchedAt !== undefined && profileId) models.remember(profileId, answer.models, answer.fetchedAt);
  });
  const testing = useSelector(panel, (snapshot) => snapshot.context.testing !== undefined);
  const batches = useSelector(panel, (snapshot) => snapshot.context.batches);
  onScopeDispose(() => {
    requests.stop();
    stopHistory();
    keyFacts.forEach((subscription) => subscription.unsubscribe());
    // Stopping first: no request may start while the actors are torn down.
    send({ type: "panel.stopping" });
    panel.stop();
  });

  return {
    /** When this panel opened: the session's usage total counts the requests since. */
    sessionStart: environment.now(),
    /** Which of the parts that wait for the first paint (AFTER_PAINT) show by now. */
    shown: shownAfterPaint(environment.afterPaint),
    status: computed(() => selectGatewayStatus(gatewayContext.value, probing.value)),
    mode: computed(() => gatewayContext.value.mode),
    notice: computed(() => gatewayContext.value.notice),
    views: requests.views,
    logs: requests.logs,
    send,
    // The key's words are the panel catalogue's keys (the core carries them untyped).
    keyOf: (profileId: string) => (keys.value[profileId] ?? {}) as { set?: boolean; place?: MessageKey; error?: CommandMessage },
    /** The newest connection test's result, when it tested this profile as it is configured now. */
    connectionOf: (profileId: string) => {
      const profile = settingsStore.profileById(profileId);
      return profile && connectionFor.value === testedEndpoint(endpointOf(profile, settingsStore.checkOf(profile))) ? (connection.value as ConnectionResult | undefined) : undefined;
    },
    testing,
    submit: (input: unknown) => send({ type: "user.submit", input }),
    /** Batches and compares: their requests, grouped, and the facts a compare target resolves from. */
    batches,
    gatewayFacts: computed(() => ({ host: gatewayContext.value.host, custom: gatewayContext.value.custom, flavour: gatewayContext.value.flavour })),
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
      models.forget(profileId);
    },
    testEndpoint: (profileId: string) => {
      const profile = settingsStore.profileById(profileId);
      if (profile) send({ type: "user.testConnection", endpoint: endpointOf(profile, settingsStore.checkOf(profile)) });
    },
  };
});
