import { createPluginLogger } from "@haloforge/plugin-sdk";
import { defineStore, getActivePinia } from "pinia";
import { computed, onScopeDispose, shallowRef, watch } from "vue";
import { createActor, type Actor, type Subscription } from "xstate";
import { createLogSink, initialGatewayContext, providePanelEffects, selectGatewayStatus, type GatewayContext, type PanelContext, type PanelMachine, type PanelEvent } from "../../machines/index.ts";
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

/**
 * The one bridge between the panel's core (the root panel actor) and the components: it starts the
 * actor, selects and sends. The actor starts after the first paint (`afterPaint.core`), or at the
 * first event sent before then; until it runs, the gateway shows the gateway machine's first context.
 */
export const usePanelStore = defineStore("panel", () => {
  const environment = usePanelEnvironment();
  const settingsStore = useSettingsStore();
  const requests = requestViews(environment.now);
  const settings = () => settingsEvent(settingsStore.settings, settingsStore.baseUrlCheck);
  const gatewayInput = (gateway: ReturnType<typeof settings>["gateway"]) => ({
    mode: gateway.mode,
    host: { managed: environment.host.hasManagedGateway() ? ("unknown" as const) : ("absent" as const) },
    custom: gateway.custom,
    flavour: environment.flavour,
  });
  const gatewayContext = shallowRef<GatewayContext>(initialGatewayContext(gatewayInput(settings().gateway)));
  const core = shallowRef<Pick<PanelContext, "key" | "connection" | "testing"> & { probing: boolean }>({ key: {}, probing: false });

  let panel: Actor<PanelMachine> | undefined;
  let stopped = false;
  const subscriptions: Subscription[] = [];
  let stopHistory = () => {};
  const start = (): Actor<PanelMachine> => {
    if (panel) return panel;
    const logSink = createLogSink(createPluginLogger("gateway"));
    const machine = providePanelEffects(panelEffects(environment, (event) => (logSink(event), requests.log(event))));
    const { settings: queue, gateway, endpoint } = settings();
    const actor = createActor(machine, {
      input: { gateway: gatewayInput(gateway), settings: queue, endpoint, now: environment.now, random: environment.random },
    });
    panel = actor;
    // History's store is made when the first request or listing reaches it, or when its section renders.
    const pinia = getActivePinia();
    stopHistory = writeHistoryFrom(actor, () => useHistoryStore(pinia), environment.now);
    requests.follow(actor);
    subscriptions.push(
      actor.subscribe((snapshot) => {
        const { key, connection, testing } = snapshot.context;
        core.value = { key, connection, testing, probing: snapshot.matches("probing") };
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
  void environment.afterPaint.core.then(() => stopped || start());
  void environment.afterPaint.keyStatus.then(() => send({ type: "key.check" }));

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
    key: computed(() => core.value.key as { set?: boolean; place?: MessageKey; error?: CommandMessage }),
    connection: computed(() => core.value.connection as ConnectionResult | undefined),
    testing: computed(() => core.value.testing !== undefined),
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
