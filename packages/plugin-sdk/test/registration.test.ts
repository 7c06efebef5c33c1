// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { freshSdk, ID, resetHost } from "./support.ts";

afterEach(resetHost);

function fakeRegistry() {
  const entries = new Map<string, unknown>();
  const register = vi.fn((id: string, definition: unknown) => void entries.set(id, definition));
  window.__hf_plugin_registry = { register, get: (id) => entries.get(id) as never, getAll: () => entries as never };
  return { entries, register };
}

describe("plugin registration", () => {
  it("registers the definition in the host registry under the plugin id and remembers the id", async () => {
    const sdk = await freshSdk();
    const { entries, register } = fakeRegistry();
    const panel = () => null;
    const definition = sdk.registerPlugin(ID, sdk.definePlugin({ panel }));
    expect(register).toHaveBeenCalledTimes(1);
    expect(entries.get(ID)).toBe(definition);
    expect(sdk._getPluginId()).toBe(ID);
  });

  it("only records the id, without throwing, when the host registry is absent", async () => {
    const sdk = await freshSdk();
    const definition = sdk.definePlugin({});
    expect(sdk.registerPlugin("dev.example.alone", definition)).toBe(definition);
    expect(sdk._getPluginId()).toBe("dev.example.alone");
  });

  it("reads the registry when registering, not when the SDK loads", async () => {
    const sdk = await freshSdk();
    const { register } = fakeRegistry();
    sdk.registerPlugin(ID, sdk.definePlugin({}));
    expect(register).toHaveBeenCalledWith(ID, expect.objectContaining({ _type: "feature" }));
  });

  it("has an empty plugin id until registerPlugin is called", async () => {
    const sdk = await freshSdk();
    expect(sdk._getPluginId()).toBe("");
    sdk._setPluginId(ID);
    expect(sdk._getPluginId()).toBe(ID);
  });

  it("builds a feature definition with exactly the published keys", async () => {
    const sdk = await freshSdk();
    const panel = () => null;
    const onMount = () => undefined;
    // An untyped caller smuggling _type must not turn a feature plugin into something else.
    const options = { panel, onMount, _type: "module", extra: 1 } as Parameters<typeof sdk.definePlugin>[0];
    const definition = sdk.definePlugin(options);
    expect(Object.keys(definition).sort()).toEqual(["_type", "onMount", "onUnmount", "panel", "slots"]);
    expect(definition).toMatchObject({ _type: "feature", panel, onMount });
  });

  it("makes a module definition's component its panel and drops subNav", async () => {
    const sdk = await freshSdk();
    const component = () => null;
    const definition = sdk.defineModulePlugin({ component, subNav: [{ id: "x", label: "X", icon: "image" }] });
    expect(definition).toStrictEqual({ _type: "module", panel: component, onMount: undefined, onUnmount: undefined });
  });

  it("makes an assistant definition whose optional component is its panel", async () => {
    const sdk = await freshSdk();
    const component = () => null;
    expect(sdk.defineAssistantPlugin({ component })).toStrictEqual({ _type: "assistant", panel: component });
    expect(sdk.defineAssistantPlugin()).toStrictEqual({ _type: "assistant", panel: undefined });
  });
});
