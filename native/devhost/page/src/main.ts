/**
 * The dev page: installs what HaloForge gives a plugin page — React/ReactDOM globals, Tauri's
 * internals (forwarding to the devhost), the plugin registry and the host bridge — then loads the
 * BUILT bundle (/plugin/index.js, a classic script) and renders the panel it registers.
 */
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as ReactDOMClient from "react-dom/client";
import { getJson, postJson } from "./http.ts";
import { installHostBridge, publishSessionHint, setBridgeMode } from "./hostBridge.ts";
import { PanelMount } from "./panel.ts";
import { installRegistry } from "./registry.ts";
import { installTauriShim } from "./tauriShim.ts";
import { applyTheme, type Theme } from "./themes.ts";
import { renderToolbar, type Locale } from "./toolbar.ts";
import type { Session } from "./types.ts";
import "./styles.css";

interface HostInfo {
  plugin: { id: string; name: string; version: string };
  customEndpointSuggestion: string | null;
  session: Session;
  faultsAvailable: boolean;
}

const THEME_KEY = "hf-devhost:theme";
const LOCALE_KEY = "hf:locale";

// The bundle externalizes react, react-dom and react-dom/client to these two globals.
window.React = React;
window.ReactDOM = { ...ReactDOM, ...ReactDOMClient };
installTauriShim();
installHostBridge();

const toolbarElement = document.getElementById("devhost-toolbar") as HTMLElement;
const moduleArea = document.getElementById("devhost-module-area") as HTMLElement;
let mounted: PanelMount | null = null;
let expectedPluginId: string | null = null;

installRegistry((pluginId) => {
  if (expectedPluginId && pluginId !== expectedPluginId) {
    console.warn(`[devhost] the bundle registered ${pluginId}, the native library is ${expectedPluginId}: "Plugin panel not loaded" in HaloForge.`);
  }
});

function loadBundle(): Promise<void> {
  const styles = Object.assign(document.createElement("link"), { rel: "stylesheet", href: "/plugin/styles.css" });
  document.head.append(styles);
  return new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement("script"), { src: "/plugin/index.js", async: false });
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => reject(new Error("Could not load /plugin/index.js — run `npm run build:dev` (npm run dev does it).")));
    document.body.append(script);
  });
}

function showProblem(message: string): void {
  moduleArea.replaceChildren(Object.assign(document.createElement("pre"), { className: "devhost-error", textContent: message }));
  moduleArea.firstElementChild?.setAttribute("role", "alert");
}

async function start(): Promise<void> {
  const info = (await getJson("/host/info")) as HostInfo;
  expectedPluginId = info.plugin.id;
  const theme: Theme = localStorage.getItem(THEME_KEY) === "light" ? "light" : "dark";
  const locale: Locale = localStorage.getItem(LOCALE_KEY) === "zh" ? "zh" : "en";
  applyTheme(theme);
  localStorage.setItem(LOCALE_KEY, locale);
  publishSessionHint(info.session);

  const toolbar = renderToolbar(
    toolbarElement,
    { theme, locale, session: info.session, customEndpointSuggestion: info.customEndpointSuggestion, faultsAvailable: info.faultsAvailable },
    {
      setTheme(next) {
        localStorage.setItem(THEME_KEY, next);
        applyTheme(next);
      },
      setLocale(next) {
        localStorage.setItem(LOCALE_KEY, next);
        mounted?.remount();
      },
      async setSession(next) {
        await postJson("/host/session", { session: next });
        publishSessionHint(next);
        toolbar.setStatus(`Session: ${next}`);
      },
      setBridge(mode) {
        setBridgeMode(mode);
        toolbar.setStatus(`Host bridge: ${mode}`);
      },
      remount: () => mounted?.remount(),
      async queueFault(spec) {
        try {
          const answer = (await postJson("/host/gateway/faults", { faults: [spec] })) as { queued: string[] };
          toolbar.setStatus(`Queued faults: ${answer.queued.join(", ")}`);
        } catch (error) {
          toolbar.setStatus(error instanceof Error ? error.message : String(error));
        }
      },
    },
  );

  await loadBundle();
  const definition = window.__hf_plugin_registry?.get(info.plugin.id);
  if (!definition) {
    showProblem(`Plugin panel not loaded: the bundle did not register ${info.plugin.id}.`);
    return;
  }
  mounted = new PanelMount(moduleArea, definition);
  mounted.mount();
  toolbar.setStatus(`${info.plugin.name} ${info.plugin.version} · session ${info.session}`);
}

start().catch((error: unknown) => showProblem(error instanceof Error ? error.message : String(error)));
