// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { freshSdk, ID, recordIpc, registeredSdk, resetHost } from "./support.ts";

afterEach(resetHost);

describe("host file dialogs", () => {
  it("saveHostFile sends devkit_save_file with every dialog key and returns the chosen path", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc(() => "/home/me/image.png");
    const path = await sdk.saveHostFile({ title: "Save image", defaultName: "image.png", filters: ["png"] });
    expect(path).toBe("/home/me/image.png");
    expect(calls).toEqual([
      { cmd: "devkit_save_file", payload: { title: "Save image", directory: null, defaultName: "image.png", filters: ["png"] } },
    ]);
  });

  it("saveHostFile sends nulls for unset keys and nothing the host does not read", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    const options = { directory: "/tmp", apiKey: "sk-secret" } as Parameters<typeof sdk.saveHostFile>[0];
    await expect(sdk.saveHostFile(options)).resolves.toBeNull();
    expect(calls[0]?.payload).toStrictEqual({ title: null, directory: "/tmp", defaultName: null, filters: null });
  });

  it("pickHostFile sends devkit_pick_file with title, directory and filters", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc(() => null);
    await expect(sdk.pickHostFile()).resolves.toBeNull();
    await sdk.pickHostFile({ title: "Reference image", filters: ["png", "jpg"] });
    expect(calls).toEqual([
      { cmd: "devkit_pick_file", payload: { title: null, directory: null, filters: null } },
      { cmd: "devkit_pick_file", payload: { title: "Reference image", directory: null, filters: ["png", "jpg"] } },
    ]);
  });
});

describe("plugin settings", () => {
  it("reads and saves host-managed settings under the plugin id", async () => {
    const sdk = await registeredSdk();
    const calls = recordIpc((cmd) => (cmd === "plugin_get_settings" ? { mode: "auto" } : null));
    expect(await sdk.getPluginSettings()).toEqual({ mode: "auto" });
    await sdk.savePluginSettings({ mode: "custom" });
    expect(calls).toEqual([
      { cmd: "plugin_get_settings", payload: { pluginId: ID } },
      { cmd: "plugin_save_settings", payload: { pluginId: ID, settings: { mode: "custom" } } },
    ]);
  });

  it("rejects without calling the host when the plugin id is unset", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    await expect(sdk.getPluginSettings()).rejects.toThrow("[plugin-sdk] getPluginSettings: plugin ID not set.");
    await expect(sdk.savePluginSettings({})).rejects.toThrow("[plugin-sdk] savePluginSettings: plugin ID not set.");
    expect(calls).toEqual([]);
  });
});
