/**
 * A static page shaped like the HaloForge web view for the cold-start bench: React globals, the
 * plugin registry, Tauri's internals (answered in the page, as a real host answers without a
 * network round trip worth measuring) and a signed-in managed bridge. It loads no plugin itself:
 * the bench calls `window.__coldStart.open(...)`, which inserts the bundle and mounts its panel.
 */
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as ReactDOMClient from "react-dom/client";

type Definition = { panel?: React.ComponentType };
type Args = Record<string, unknown> | undefined;

export interface ColdStartTiming {
  /** Script insertion → the bundle's `register()` call (fetch, parse, compile, evaluate). */
  loadMs: number;
  /** The script's last byte received → `register()` (parse, compile, evaluate). */
  evaluateMs: number;
  /** The host's render of the registered panel → Generate enabled and the gateway label shown. */
  mountMs: number;
  /** Script insertion → usable panel, then two frames painted. */
  coldStartMs: number;
}

const registered = new Map<string, { definition: Definition; at: number }>();
Object.assign(window, {
  React,
  ReactDOM: { ...ReactDOM, ...ReactDOMClient },
  __hf_plugin_registry: {
    register: (pluginId: string, definition: Definition) => registered.set(pluginId, { definition, at: performance.now() }),
    get: (pluginId: string) => registered.get(pluginId)?.definition,
    getAll: () => new Map([...registered].map(([id, entry]) => [id, entry.definition])),
  },
});

// Native commands a panel may call on open, answered as the plugin's backend answers them.
const pluginAnswers: Record<string, unknown> = {
  api_key_status: { ok: true, apiKeySet: false },
};
let nextCallback = 1;
Object.assign(window, {
  __TAURI_INTERNALS__: {
    async invoke(cmd: string, args: Args) {
      if (cmd === "plugin:event|listen") return nextCallback++;
      if (cmd.startsWith("plugin:event|") || cmd === "frontend_log_event") return null;
      if (cmd === "plugin_get_settings") return {};
      if (cmd === "plugin_save_settings") return null;
      if (cmd === "plugin_invoke") {
        const wireName = String((args?.args as { wire_name?: string } | undefined)?.wire_name ?? "");
        const command = Object.keys(pluginAnswers).find((name) => wireName.endsWith(`_${name}`));
        if (command) return pluginAnswers[command];
      }
      throw `command ${cmd} is not available in this page`;
    },
    transformCallback: () => nextCallback++,
    unregisterCallback: () => undefined,
    convertFileSrc: (path: string) => `asset://localhost/${encodeURIComponent(path)}`,
    metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
  },
  __TAURI_EVENT_PLUGIN_INTERNALS__: { unregisterListener: () => undefined },
  __HALOFORGE_PLUGIN_HOST__: {
    version: 1,
    enterpriseGateway: {
      generateImages: () => Promise.resolve({ created: 0, data: [] }),
      editImages: () => Promise.resolve({ created: 0, data: [] }),
      listOutputs: () => Promise.resolve({ outputs: [] }),
    },
  },
});

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));

function insert(scriptUrl: string, stylesUrl: string): Promise<void> {
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: stylesUrl }));
  return new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement("script"), { src: scriptUrl, async: false });
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => reject(new Error(`could not load ${scriptUrl}`)));
    document.body.append(script);
  });
}

/** Resolves once `usable()` holds, checked on every DOM mutation (not per frame). */
function whenUsable(usable: () => boolean, root: Node): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(performance.now());
    };
    const observer = new MutationObserver(() => usable() && done());
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error("the panel did not become usable within 10 s"));
    }, 10_000);
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    if (usable()) done();
  });
}

async function open(pluginId: string, scriptUrl: string, stylesUrl: string, selectors: { generate: string; gatewayLabel: string }): Promise<ColdStartTiming> {
  const area = document.getElementById("module-area")!;
  const start = performance.now();
  await insert(scriptUrl, stylesUrl);
  const entry = registered.get(pluginId);
  if (!entry?.definition.panel) throw new Error(`${pluginId} registered no panel`);
  const usable = () => {
    const generate = area.querySelector<HTMLButtonElement>(selectors.generate);
    return !!generate && !generate.disabled && !!area.querySelector(selectors.gatewayLabel)?.textContent?.trim();
  };
  const mountStart = performance.now();
  const ready = whenUsable(usable, area);
  ReactDOMClient.createRoot(area).render(React.createElement(entry.definition.panel));
  const usableAt = await ready;
  await nextFrame();
  const painted = await nextFrame();
  const fetched = performance.getEntriesByType("resource").find((resource) => resource.name.endsWith(scriptUrl)) as PerformanceResourceTiming | undefined;
  return { loadMs: entry.at - start, evaluateMs: entry.at - (fetched?.responseEnd ?? start), mountMs: usableAt - mountStart, coldStartMs: painted - start };
}

Object.assign(window, { __coldStart: { open } });
