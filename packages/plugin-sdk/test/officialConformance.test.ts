// @vitest-environment jsdom
// This package against the official @haloforge/plugin-sdk 0.2.16 sources from the crate package,
// side by side: each scenario runs once on each SDK, each time with a fresh copy of the SDK's
// modules and fresh fakes of what the host provides (Tauri's IPC internals, the plugin registry,
// the host bridge, the console), and every observation must be equal.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { act, createElement } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { materialize } from "../../../scripts/lib/cratePackage.ts";

const ID = "dev.haloforge.managed-image-gateway";
type AnySdk = Record<string, (...args: any[]) => any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let officialSrc: string;
beforeAll(() => {
  officialSrc = join(materialize("sdk"), "src");
}, 120_000);

async function loadOfficial(): Promise<AnySdk> {
  // Not its index.ts: that also re-exports the React components (and lucide-react), which this
  // plugin does not use.
  const urls = ["ipc.ts", "registry.ts", "hooks.ts"].map((file) => pathToFileURL(join(officialSrc, file)).href);
  const modules = await Promise.all(urls.map((url) => import(/* @vite-ignore */ url)));
  return Object.assign({}, ...modules) as AnySdk;
}
const loadOurs = async () => (await import("../src/index.ts")) as unknown as AnySdk;

interface Observed {
  hostCalls: unknown[][];
  registryCalls: unknown[][];
  bridgeCalls: unknown[][];
  console: unknown[][];
  outcome: { value: unknown } | { thrown: string };
}

interface Host {
  /** What the fake Tauri host answers (or throws) for a command. */
  answer?: (command: string, args: unknown) => unknown;
  registry?: boolean;
  bridge?: "none" | "version 1" | "version 2" | "version 1 without a gateway";
}

type Scenario = (sdk: AnySdk) => unknown;

const stringified = (value: unknown): unknown => (value instanceof Error ? `${value.name}: ${value.message}` : value);

async function observe(load: () => Promise<AnySdk>, scenario: Scenario, host: Host): Promise<Observed> {
  vi.resetModules();
  const observed: Observed = { hostCalls: [], registryCalls: [], bridgeCalls: [], console: [], outcome: { value: undefined } };
  const answer = host.answer ?? (() => null);
  (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {
    invoke: async (command: string, args: unknown, options: unknown) => {
      observed.hostCalls.push([command, args, options]);
      return answer(command, args);
    },
  };
  if (host.registry) {
    window.__hf_plugin_registry = {
      register: (...args: unknown[]) => void observed.registryCalls.push(args),
      get: () => undefined,
      getAll: () => new Map(),
    } as never;
  }
  const gateway = Object.fromEntries(
    ["generateImages", "editImages", "listOutputs"].map((member) => [
      member,
      async (...args: unknown[]) => {
        observed.bridgeCalls.push([member, ...args]);
        return { member, data: [{ b64_json: "AAAA" }] };
      },
    ]),
  );
  const bridge = host.bridge ?? "none";
  if (bridge !== "none") {
    window.__HALOFORGE_PLUGIN_HOST__ = {
      version: bridge === "version 2" ? 2 : 1,
      ...(bridge === "version 1 without a gateway" ? {} : { enterpriseGateway: gateway }),
    } as never;
  }
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void observed.console.push([level, ...args.map(stringified)]));
  }
  try {
    observed.outcome = { value: await scenario(await load()) };
  } catch (error) {
    observed.outcome = { thrown: String(stringified(error)) };
  }
  return observed;
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const key of ["__TAURI_INTERNALS__", "__hf_plugin_registry", "__HALOFORGE_PLUGIN_HOST__"]) {
    delete (window as unknown as Record<string, unknown>)[key];
  }
});

/** Runs `scenario` on both SDKs and expects identical observations; returns the official one. */
async function sameOnBoth(scenario: Scenario, host: Host = {}): Promise<Observed> {
  const official = await observe(loadOfficial, scenario, host);
  const ours = await observe(loadOurs, scenario, host);
  expect(ours).toEqual(official);
  return official;
}

const registered = (scenario: Scenario): Scenario => (sdk) => {
  sdk.registerPlugin!(ID, sdk.definePlugin!({}));
  return scenario(sdk);
};

const panel = () => null;
const request = { model: "gpt-image-2", prompt: "a lighthouse", size: "1024x1024", n: 1 };
const failingHost: Host = {
  answer: () => {
    throw new Error("host refused");
  },
};

describe("registration and definitions", () => {
  it.each([
    ["definePlugin", (sdk: AnySdk) => sdk.definePlugin!({ panel, slots: { "devkit.toolbar": panel }, onMount: panel, extra: 1 })],
    ["defineModulePlugin", (sdk: AnySdk) => sdk.defineModulePlugin!({ component: panel, subNav: [], onUnmount: panel })],
    ["defineAssistantPlugin", (sdk: AnySdk) => sdk.defineAssistantPlugin!({ component: panel })],
  ])("%s builds the same definition", async (_name, scenario) => {
    const official = await sameOnBoth(scenario);
    expect(official.outcome).toHaveProperty("value._type");
  });

  it("registerPlugin hands the definition to the host registry and returns it", async () => {
    const official = await sameOnBoth((sdk) => {
      const definition = sdk.definePlugin!({ panel });
      return sdk.registerPlugin!(ID, definition) === definition;
    }, { registry: true });
    expect(official.registryCalls).toHaveLength(1);
    expect(official.outcome).toEqual({ value: true });
  });

  it("registerPlugin without a host registry only records the id", async () => {
    await sameOnBoth(registered((sdk) => sdk._getPluginId!()));
  });
});

describe("invokePlugin", () => {
  it("with args", async () => {
    const official = await sameOnBoth(registered((sdk) => sdk.invokePlugin!("generate_images", { request })), { answer: () => ({ ok: 1 }) });
    expect(official.hostCalls).toHaveLength(1);
  });
  it("without args", async () => {
    await sameOnBoth(registered((sdk) => sdk.invokePlugin!("ping")), { answer: () => "pong" });
  });
  it("when the host rejects", async () => {
    const official = await sameOnBoth(registered((sdk) => sdk.invokePlugin!("ping")), failingHost);
    expect(official.outcome).toEqual({ thrown: "Error: host refused" });
  });
  it("before registration", async () => {
    const official = await sameOnBoth((sdk) => sdk.invokePlugin!("ping"));
    expect(official.hostCalls).toEqual([]);
    expect(official.outcome).toHaveProperty("thrown");
  });
});

describe("the other IPC helpers this package exports", () => {
  it.each([
    ["invokeOtherPlugin", (sdk: AnySdk) => sdk.invokeOtherPlugin!("dev.haloforge.other-plugin", "status", { verbose: true })],
    ["invokeHost", (sdk: AnySdk) => sdk.invokeHost!("frontend_log_event", { level: "info" })],
    ["emitPluginEvent", (sdk: AnySdk) => sdk.emitPluginEvent!("image-saved", { bytes: 3 })],
  ])("%s, registered and not", async (_name, scenario) => {
    expect((await sameOnBoth(registered(scenario), { answer: () => "ok" })).hostCalls).toHaveLength(1);
    await sameOnBoth(scenario, { answer: () => "ok" });
  });
});

describe("enterpriseGateway()", () => {
  it("before registration", async () => {
    expect((await sameOnBoth((sdk) => sdk.enterpriseGateway!(), { bridge: "version 1" })).outcome).toHaveProperty("thrown");
  });
  it.each(["none", "version 2", "version 1 without a gateway"] as const)("with bridge: %s", async (bridge) => {
    expect((await sameOnBoth(registered((sdk) => sdk.enterpriseGateway!()), { bridge })).outcome).toHaveProperty("thrown");
  });
  it.each([
    ["generateImages", (gateway: AnySdk) => gateway.generateImages!(request)],
    ["editImages", (gateway: AnySdk) => gateway.editImages!({ ...request, images: [{ name: "a.png", mime_type: "image/png", data_base64: "AAAA" }] })],
    ["listOutputs with a limit", (gateway: AnySdk) => gateway.listOutputs!(20)],
    ["listOutputs without a limit", (gateway: AnySdk) => gateway.listOutputs!()],
  ])("%s", async (_name, call) => {
    const official = await sameOnBoth(registered((sdk) => call(sdk.enterpriseGateway!())), { bridge: "version 1" });
    expect(official.bridgeCalls).toHaveLength(1);
  });
});

describe("log", () => {
  const levels = ["trace", "debug", "info", "warn", "error"];
  it.each(levels)("positional form at level %s, delivered and failing", async (level) => {
    const scenario = registered((sdk) => sdk.log!(level, "  generation started ", { requestId: "r1" }, " managed "));
    expect((await sameOnBoth(scenario)).hostCalls).toHaveLength(1);
    expect((await sameOnBoth(scenario, failingHost)).console).toHaveLength(1);
  });
  it.each([
    ["options with every key", { level: "warn", message: "slow", details: { ms: 900 }, scope: "custom" }],
    ["options without level, details or scope", { message: "hello" }],
    ["a blank message", { message: "   " }],
    ["a blank scope", { message: "m", scope: "  " }],
  ])("options form: %s, delivered and failing", async (_name, options) => {
    const scenario = registered((sdk) => sdk.log!(options));
    await sameOnBoth(scenario);
    await sameOnBoth(scenario, failingHost);
  });
  it("before registration", async () => {
    await sameOnBoth((sdk) => sdk.log!("info", "early"));
  });
});

describe("createPluginLogger", () => {
  it.each([undefined, "managed", " padded "])("scope %j: every level, delivered and failing", async (scope) => {
    const scenario = registered(async (sdk) => {
      const logger = sdk.createPluginLogger!(scope);
      for (const level of ["trace", "debug", "info", "warn", "error"]) await logger[level]("event", { n: 1 });
    });
    expect((await sameOnBoth(scenario)).hostCalls).toHaveLength(5);
    expect((await sameOnBoth(scenario, failingHost)).console).toHaveLength(5);
  });
});

describe("file dialogs", () => {
  const options = { title: "Save image", directory: "/home/me", defaultName: "image.png", filters: ["png"] };
  it.each([
    ["saveHostFile with every option", (sdk: AnySdk) => sdk.saveHostFile!(options)],
    ["saveHostFile without options", (sdk: AnySdk) => sdk.saveHostFile!()],
    ["pickHostFile with every option", (sdk: AnySdk) => sdk.pickHostFile!(options)],
    ["pickHostFile without options", (sdk: AnySdk) => sdk.pickHostFile!()],
  ])("%s", async (_name, scenario) => {
    expect((await sameOnBoth(scenario, { answer: () => "/home/me/image.png" })).hostCalls).toHaveLength(1);
    await sameOnBoth(scenario, { answer: () => null });
    await sameOnBoth(scenario, failingHost);
  });
});

describe("notify", () => {
  it("without a toast emitter", async () => {
    const official = await sameOnBoth((sdk) => sdk.notify!({ title: "Saved", message: "image.png", kind: "success" }));
    expect(official.console).toHaveLength(1);
  });
  it("with the host's toast emitter", async () => {
    await sameOnBoth((sdk) => {
      const shown: unknown[] = [];
      sdk._setToastEmitter!((toast: unknown) => shown.push(toast));
      sdk.notify!({ title: "Saved", message: "image.png", duration: 3000 });
      return shown;
    });
  });
});

describe("settings", () => {
  const stored = { theme: "dark", count: 2 };
  // The official SDK offers settings only as the React hook usePluginSettings(); ours offers the
  // same two host calls without React. The host calls and what the plugin ends up with must match.
  async function throughTheOfficialHook(sdk: AnySdk) {
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    let api: { settings: unknown; updateSettings: (patch: unknown) => Promise<void> } | undefined;
    const Probe = () => {
      api = sdk.usePluginSettings!();
      return null;
    };
    const root = createRoot(document.createElement("div"));
    const context = { pluginId: ID, slotId: "", slotContext: {}, moduleId: null };
    await act(async () => root.render(createElement((sdk.PluginRuntimeContext as unknown as { Provider: never }).Provider, { value: context }, createElement(Probe))));
    await act(() => new Promise((resolve) => setTimeout(resolve, 0))); // the hook's load resolves
    const loaded = api!.settings;
    await act(async () => api!.updateSettings({ count: 3 }));
    const saved = api!.settings;
    act(() => root.unmount());
    return { loaded, saved };
  }
  async function throughOurs(sdk: AnySdk) {
    const loaded = await sdk.getPluginSettings!();
    const saved = { ...loaded, count: 3 };
    await sdk.savePluginSettings!(saved);
    return { loaded, saved };
  }

  it("loads and saves with the same host calls and the same result", async () => {
    const host: Host = { answer: (command) => (command === "plugin_get_settings" ? stored : null) };
    const official = await observe(loadOfficial, registered(throughTheOfficialHook), host);
    const ours = await observe(loadOurs, registered(throughOurs), host);
    expect(official.hostCalls).toHaveLength(2);
    expect(ours).toEqual(official);
  });
});
