import { createPluginLogger } from "@haloforge/plugin-sdk";
import { useSelector } from "@xstate/vue";
import { defineStore, getActivePinia } from "pinia";
import { computed, onScopeDispose, watch } from "vue";
import { createActor } from "xstate";
import { createLogSink, providePanelEffects, selectGatewayStatus, type PanelEvent } from "../../machines/index.ts";
import { panelEffects } from "../adapters/panelEffects.ts";
import { requestViews } from "../bridge/requestViews.ts";
import { settingsEvent } from "../bridge/settingsEvent.ts";
import { shownAfterPaint, usePanelEnvironment } from "../app/panelEnvironment.ts";
import type { CommandMessage } from "../endpoint/apiKey.ts";
import type { ConnectionResult } from "../endpoint/connectionTest.ts";
import { writeHistoryFrom } from "../history/historySink.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { useHistoryStore } from "./history.store.ts";
import { useSettingsStore } from "./settings.store.ts";

/** The one bridge between the panel's core (the root panel actor) and the components: it starts the actor, selects and sends. */
export const usePanelStore = defineStore("panel", () => {
  const environment = usePanelEnvironment();
  const settingsStore = useSettingsStore();
  const requests = requestViews(environment.now);
  const logSink = createLogSink(createPluginLogger("gateway"));
  const machine = providePanelEffects(panelEffects(environment, (event) => (logSink(event), requests.log(event))));
  const settings = () => settingsEvent(settingsStore.settings, settingsStore.baseUrlCheck);
  const { settings: queue, gateway, endpoint } = settings();
  const host = { managed: environment.host.hasManagedGateway() ? ("unknown" as const) : ("absent" as const) };
  const panel = createActor(machine, {
    input: { gateway: { mode: gateway.mode, host, custom: gateway.custom, flavour: environment.flavour }, settings: queue, endpoint, now: environment.now, random: environment.random },
  });
  // History's store is made when the first request or listing reaches it, or when its section renders.
  const pinia = getActivePinia();
  const stopHistory = writeHistoryFrom(panel, () => useHistoryStore(pinia), environment.now);
  requests.follow(panel);
  panel.start();
  const send = (event: PanelEvent) => panel.send(event);
  watch(settings, send, { deep: true });
  void environment.afterPaint.keyStatus.then(() => send({ type: "key.check" }));

  const gatewayContext = useSelector(panel.getSnapshot().children.gateway!, (snapshot) => snapshot.context);
  const probing = useSelector(panel, (snapshot) => snapshot.matches("probing"));
  const key = useSelector(panel, (snapshot) => snapshot.context.key);
  const connection = useSelector(panel, (snapshot) => snapshot.context.connection);
  const testing = useSelector(panel, (snapshot) => snapshot.context.testing !== undefined);
  onScopeDispose(() => {
    requests.stop();
    stopHistory();
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
    key: computed(() => key.value as { set?: boolean; place?: MessageKey; error?: CommandMessage }),
    connection: computed(() => connection.value as ConnectionResult | undefined),
    testing,
    submit: (input: unknown) => send({ type: "user.submit", input }),
    cancel: (id: string) => send({ type: "user.cancel", id }),
    cancelQueued: () => send({ type: "user.cancelQueued" }),
    retry: (id: string) => send({ type: "user.retry", id }),
    remove: (id: string) => send({ type: "user.remove", id }),
    checkSession: () => send({ type: "user.checkSession" }),
    dismissNotice: () => send({ type: "notice.dismissed" }),
    // Settings ask again when they open: the backend moves a key it finds in the host settings then.
    refreshKey: () => send({ type: "key.check" }),
    saveKey: (apiKey: string) => send({ type: "user.saveKey", apiKey }),
    clearKey: () => send({ type: "user.clearKey" }),
    testEndpoint: () => send({ type: "user.testConnection" }),
  };
});
