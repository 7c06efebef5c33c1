import { HostRejection, getJson, postJson } from "./http.ts";
import type { BridgeMode, HostBridge, Session } from "./types.ts";

/**
 * `window.__HALOFORGE_PLUGIN_HOST__` version 1 with the managed image gateway. Calls go to the
 * devhost, which adds the upstream token server-side; a rejection is an `Error` carrying the
 * host's message (e.g. the sign-in message when the simulated session is signed out).
 */
export function installHostBridge(): void {
  const call = async (run: () => Promise<unknown>): Promise<unknown> => {
    try {
      return await run();
    } catch (error) {
      throw error instanceof HostRejection ? new Error(error.message) : error;
    }
  };
  const bridge: HostBridge = {
    version: 1,
    enterpriseGateway: {
      generateImages: (pluginId, request) => call(() => postJson("/host/gateway/generate", { pluginId, request })),
      editImages: (pluginId, request) => call(() => postJson("/host/gateway/edit", { pluginId, request })),
      listOutputs: (pluginId, limit) => {
        const query = new URLSearchParams({ pluginId });
        if (limit !== undefined) query.set("limit", String(limit));
        return call(() => getJson(`/host/gateway/outputs?${query.toString()}`));
      },
    },
  };
  window.__HALOFORGE_PLUGIN_HOST__ = bridge;
}

// The shapes a broken host could hand over instead of its bridge's answers.
const hostBug = () => {
  throw new TypeError("Cannot read properties of undefined (reading 'session')");
};
const throwingBridge: HostBridge = { version: 1, enterpriseGateway: { generateImages: hostBug, editImages: hostBug, listOutputs: hostBug } };
const malformed = () => Promise.resolve({ created: "yesterday", data: "one image" });
const malformedBridge: HostBridge = { version: 1, enterpriseGateway: { generateImages: malformed, editImages: malformed, listOutputs: malformed } };

/**
 * DEV HOST ONLY: simulates hosts whose bridge is missing (no managed gateway), throws
 * synchronously (a host bug), or resolves with data of the wrong shape. "present" is the real one.
 */
export function setBridgeMode(mode: BridgeMode): void {
  if (mode === "present") installHostBridge();
  else if (mode === "missing") delete window.__HALOFORGE_PLUGIN_HOST__;
  else window.__HALOFORGE_PLUGIN_HOST__ = mode === "throws" ? throwingBridge : malformedBridge;
}

/** DEV HOST ONLY: the optional session hint (the real bridge has none). */
export function publishSessionHint(session: Session): void {
  window.__HF_DEVHOST__ = { devHostOnly: true, session };
  window.dispatchEvent(new CustomEvent("hf-devhost:session", { detail: { session } }));
}
