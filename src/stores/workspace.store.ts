import { createPluginLogger } from "@haloforge/plugin-sdk";
import { useSelector } from "@xstate/vue";
import { defineStore } from "pinia";
import { computed, onScopeDispose, shallowRef, watch } from "vue";
import { createActor, type Subscription } from "xstate";
import {
  createLogSink,
  gatewayMachine,
  selectRequestViews,
  type BuildFlavour,
  type CustomEndpointFacts,
  type RequestView,
} from "../../machines/index.ts";
import { createGatewayPorts, type MockCall } from "../gateways/gatewayPorts.ts";
import { hasManagedGateway } from "../gateways/managedGateway.ts";
import { bindPanelEffects, panelOrchestratorMachine } from "../gateways/panelMachines.ts";
import { recordFromInput } from "../history/historyRecord.ts";
import { useHistoryStore } from "./history.store.ts";
import { useSettingsStore } from "./settings.store.ts";

export interface WorkspaceOptions {
  flavour: BuildFlavour;
  mock?: MockCall;
  now?: () => number;
  /** How often the host bridge is probed again (it appears or goes away with sign-in). */
  probeIntervalMs?: number;
}

let options: WorkspaceOptions = { flavour: "production" };
/** Set once by mountPanel before the store is first used. */
export const configureWorkspace = (next: WorkspaceOptions) => void (options = next);

/** The running machines: gateway selection and every request, as views for the panel. */
export const useWorkspaceStore = defineStore("workspace", () => {
  const settingsStore = useSettingsStore();
  const history = useHistoryStore();
  const now = options.now ?? Date.now;

  const customFacts = (): CustomEndpointFacts => {
    const check = settingsStore.baseUrlCheck;
    return check.ok ? { baseUrl: check.normalized, valid: true, keySet: false } : { baseUrl: settingsStore.settings.baseUrl || undefined, valid: false, keySet: false };
  };

  const gateway = createActor(gatewayMachine, {
    input: {
      mode: settingsStore.settings.mode,
      host: { managed: hasManagedGateway() ? "available" : "absent" },
      custom: customFacts(),
      flavour: options.flavour,
    },
  }).start();

  const ports = createGatewayPorts({
    currentResolution: () => gateway.getSnapshot().context.resolution,
    customConfig: () => {
      const { settings } = settingsStore;
      const check = settingsStore.baseUrlCheck;
      return {
        baseUrl: check.ok ? check.normalized : settings.baseUrl,
        apiType: settings.apiType,
        allowInsecureHttp: settings.allowInsecureHttp,
        timeoutMs: settings.timeoutSeconds * 1000,
        responsesModel: settings.responsesModel,
      };
    },
    ...(options.mock ? { mock: options.mock } : {}),
    onAnswer: (kind, events) => {
      if (kind !== "managed") return;
      const failed = events.find((event) => event.type === "gateway.failed");
      if (failed?.type === "gateway.failed" && failed.failure.code === "signed_out") gateway.send({ type: "host.signedOut" });
      else if (!failed) gateway.send({ type: "host.signedIn" });
    },
  });
  const logSink = createLogSink(createPluginLogger("gateway"));
  const orchestrator = createActor(panelOrchestratorMachine, {
    input: {
      settings: {
        concurrency: settingsStore.settings.concurrency,
        timeoutMs: settingsStore.settings.timeoutSeconds * 1000,
        maxRetries: settingsStore.settings.maxRetries,
      },
      now,
      random: Math.random,
    },
  });
  bindPanelEffects(orchestrator.system, { ports, log: (event) => logSink(event) });
  orchestrator.start();

  watch(
    () => settingsStore.settings,
    (settings) => {
      gateway.send({ type: "settings.changed", mode: settings.mode, custom: customFacts() });
      orchestrator.send({
        type: "settings.changed",
        settings: { concurrency: settings.concurrency, timeoutMs: settings.timeoutSeconds * 1000, maxRetries: settings.maxRetries },
      });
    },
    { deep: true },
  );

  const resolution = useSelector(gateway, (snapshot) => snapshot.context.resolution);
  const mode = useSelector(gateway, (snapshot) => snapshot.context.mode);
  const notice = useSelector(gateway, (snapshot) => snapshot.context.notice);

  // Views change when the orchestrator or any request changes, and every second while one runs.
  const views = shallowRef<RequestView[]>([]);
  const childSubscriptions = new Map<string, Subscription>();
  const refresh = () => {
    const snapshot = orchestrator.getSnapshot();
    for (const entry of snapshot.context.requests) {
      if (!childSubscriptions.has(entry.id)) childSubscriptions.set(entry.id, entry.ref.subscribe(() => refresh()));
    }
    for (const [id, subscription] of childSubscriptions) {
      if (!snapshot.context.requests.some((entry) => entry.id === id)) {
        subscription.unsubscribe();
        childSubscriptions.delete(id);
      }
    }
    views.value = selectRequestViews(snapshot, now());
    recordHistory(snapshot.context.requests);
  };
  // Each request enters the history once when accepted and is settled once when it ends; refused
  // input (a validation failure) never becomes history.
  const recorded = new Map<string, "open" | "settled">();
  const recordHistory = (entries: { id: string; input: unknown }[]) => {
    for (const view of views.value) {
      const state = recorded.get(view.id);
      if (state === "settled") continue;
      if (state === undefined) {
        if (view.error?.code === "validation") {
          recorded.set(view.id, "settled");
          continue;
        }
        const record = recordFromInput(view.id, view.createdAt, entries.find((entry) => entry.id === view.id)?.input);
        if (!record) continue;
        history.add(record);
        recorded.set(view.id, "open");
      }
      if (view.final) {
        history.settle(view);
        recorded.set(view.id, "settled");
      }
    }
  };
  const orchestratorSubscription = orchestrator.subscribe(() => refresh());
  const ticker = setInterval(() => {
    if (views.value.some((view) => !view.final)) refresh();
  }, 1_000);
  const prober = setInterval(() => {
    const present = hasManagedGateway();
    const managed = gateway.getSnapshot().context.host.managed;
    if (present && managed === "absent") gateway.send({ type: "host.changed", host: { managed: "available" } });
    if (!present && managed !== "absent") gateway.send({ type: "host.changed", host: { managed: "absent" } });
  }, options.probeIntervalMs ?? 3_000);

  onScopeDispose(() => {
    clearInterval(ticker);
    clearInterval(prober);
    orchestratorSubscription.unsubscribe();
    for (const subscription of childSubscriptions.values()) subscription.unsubscribe();
    orchestrator.stop();
    gateway.stop();
  });

  const outputs = computed(() => views.value.flatMap((view) => view.outputs.map((output, index) => ({ ...output, requestId: view.id, key: `${view.id}:${index}` }))).reverse());

  return {
    resolution,
    mode,
    notice,
    views,
    outputs,
    submit: (input: unknown) => orchestrator.send({ type: "user.submit", input }),
    cancel: (id: string) => orchestrator.send({ type: "user.cancel", id }),
    retry: (id: string) => orchestrator.send({ type: "user.retry", id }),
    remove: (id: string) => orchestrator.send({ type: "user.remove", id }),
    checkHostAgain: () => gateway.send({ type: "host.changed", host: { managed: hasManagedGateway() ? "available" : "absent" } }),
    dismissNotice: () => gateway.send({ type: "notice.dismissed" }),
  };
});
