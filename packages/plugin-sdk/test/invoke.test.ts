// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { freshSdk, recordIpc, resetHost } from "./support.ts";

afterEach(resetHost);

describe("invokePlugin", () => {
  it("sends plugin_invoke with the host's wire name and the args unchanged", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc(() => ({ ok: true }));
    sdk.registerPlugin("dev.haloforge.managed-image-gateway", sdk.definePlugin({}));
    const answer = await sdk.invokePlugin("generate_images", { requestId: "r1", request: { prompt: "p" } });
    expect(answer).toEqual({ ok: true });
    expect(calls).toEqual([
      {
        cmd: "plugin_invoke",
        payload: {
          args: {
            wire_name: "plugin_dev_haloforge_managed_image_gateway_generate_images",
            args: { requestId: "r1", request: { prompt: "p" } },
          },
        },
      },
    ]);
  });

  it("sends an empty args object when none is given", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    sdk.registerPlugin("dev.haloforge.managed-image-gateway", sdk.definePlugin({}));
    await sdk.invokePlugin("ping");
    expect(calls[0]?.payload).toEqual({ args: { wire_name: "plugin_dev_haloforge_managed_image_gateway_ping", args: {} } });
  });

  it("replaces only dots and dashes in the wire name", async () => {
    const sdk = await freshSdk();
    expect(sdk.pluginWireName("com.Example-co.my_plugin2", "do_it")).toBe("plugin_com_Example_co_my_plugin2_do_it");
  });

  it("rejects with the published message when registerPlugin was never called", async () => {
    const sdk = await freshSdk();
    recordIpc();
    await expect(sdk.invokePlugin("ping")).rejects.toThrow(
      "[plugin-sdk] invokePlugin: plugin ID not set. Did you call registerPlugin()?",
    );
  });

  it("rejects with what is missing and what to do outside a host", async () => {
    const sdk = await freshSdk();
    sdk.registerPlugin("dev.haloforge.managed-image-gateway", sdk.definePlugin({}));
    await expect(sdk.invokePlugin("ping")).rejects.toThrow(/HaloForge host is not available \(no Tauri IPC\).*npm run dev/);
  });

  it("passes the host's rejection through", async () => {
    const sdk = await freshSdk();
    recordIpc(() => {
      throw new Error("Plugin command not found");
    });
    sdk.registerPlugin("dev.haloforge.managed-image-gateway", sdk.definePlugin({}));
    await expect(sdk.invokePlugin("nope")).rejects.toThrow("Plugin command not found");
  });
});

describe("other plugin commands", () => {
  it("invokeOtherPlugin targets another plugin's wire name without needing an id", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    await sdk.invokeOtherPlugin("dev.haloforge.markdown", "render", { text: "# x" });
    expect(calls).toEqual([
      { cmd: "plugin_invoke", payload: { args: { wire_name: "plugin_dev_haloforge_markdown_render", args: { text: "# x" } } } },
    ]);
  });

  it("emitPluginEvent calls the plugin's emit_event command with event and payload", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    sdk.registerPlugin("dev.haloforge.managed-image-gateway", sdk.definePlugin({}));
    await sdk.emitPluginEvent("images.ready", { count: 2 });
    expect(calls[0]?.payload).toEqual({
      args: { wire_name: "plugin_dev_haloforge_managed_image_gateway_emit_event", args: { event: "images.ready", payload: { count: 2 } } },
    });
  });

  it("saveHostFile asks the host's save dialog and returns the chosen path", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc(() => "/home/me/image.png");
    const path = await sdk.saveHostFile({ title: "Save image", defaultName: "image.png", filters: [{ name: "PNG", extensions: ["png"] }] });
    expect(path).toBe("/home/me/image.png");
    expect(calls).toEqual([
      {
        cmd: "devkit_save_file",
        payload: { title: "Save image", defaultName: "image.png", filters: [{ name: "PNG", extensions: ["png"] }] },
      },
    ]);
  });

  it("reads and saves host-managed settings with the plugin id", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc((cmd) => (cmd === "plugin_get_settings" ? { mode: "auto" } : null));
    sdk.registerPlugin("dev.haloforge.managed-image-gateway", sdk.definePlugin({}));
    expect(await sdk.getPluginSettings()).toEqual({ mode: "auto" });
    await sdk.savePluginSettings({ mode: "custom" });
    expect(calls).toEqual([
      { cmd: "plugin_get_settings", payload: { pluginId: "dev.haloforge.managed-image-gateway" } },
      { cmd: "plugin_save_settings", payload: { pluginId: "dev.haloforge.managed-image-gateway", settings: { mode: "custom" } } },
    ]);
  });
});
