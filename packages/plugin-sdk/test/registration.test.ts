// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { freshSdk, resetHost } from "./support.ts";

afterEach(resetHost);

function fakeRegistry() {
  const entries = new Map<string, unknown>();
  window.__hf_plugin_registry = {
    register: (id, definition) => void entries.set(id, definition),
    get: (id) => entries.get(id) as never,
    getAll: () => entries as never,
  };
  return entries;
}

describe("plugin registration", () => {
  it("registers the definition in the host registry under the plugin id and remembers the id", async () => {
    const sdk = await freshSdk();
    const entries = fakeRegistry();
    const panel = () => null;
    const definition = sdk.registerPlugin("dev.haloforge.managed-image-gateway", sdk.definePlugin({ panel }));
    expect(entries.get("dev.haloforge.managed-image-gateway")).toBe(definition);
    expect(definition).toEqual({ _type: "feature", panel });
    expect(sdk._getPluginId()).toBe("dev.haloforge.managed-image-gateway");
  });

  it("only records the id when the host registry is absent", async () => {
    const sdk = await freshSdk();
    const definition = sdk.definePlugin({});
    expect(sdk.registerPlugin("dev.example.alone", definition)).toBe(definition);
    expect(sdk._getPluginId()).toBe("dev.example.alone");
  });

  it("builds module and assistant definitions as the published SDK does", async () => {
    const sdk = await freshSdk();
    const component = () => null;
    expect(sdk.defineModulePlugin({ component, subNav: [{ id: "x" }] })).toEqual({
      _type: "module",
      panel: component,
      onMount: undefined,
      onUnmount: undefined,
    });
    expect(sdk.defineAssistantPlugin({ component })).toEqual({ _type: "assistant", panel: component });
  });
});
