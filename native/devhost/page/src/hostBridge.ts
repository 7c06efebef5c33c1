import { HostRejection, getJson, postJson } from "./http.ts";
import type { HostBridge, Session } from "./types.ts";

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

/** DEV HOST ONLY: the optional session hint (the real bridge has none). */
export function publishSessionHint(session: Session): void {
  window.__HF_DEVHOST__ = { devHostOnly: true, session };
  window.dispatchEvent(new CustomEvent("hf-devhost:session", { detail: { session } }));
}
