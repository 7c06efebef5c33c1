// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { freshSdk, ID, recordIpc, registeredSdk, resetHost, type Sdk } from "./support.ts";

afterEach(resetHost);

const NOT_IN_HOST = /HaloForge host is not available \(no Tauri IPC\)\. Run the plugin inside HaloForge or the dev host \(npm run dev\)\./;

describe("invokePlugin", () => {
  it("sends plugin_invoke with the host's wire name and the args unchanged", async () => {
    const sdk = await registeredSdk();
    const calls = recordIpc(() => ({ ok: true }));
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
    const sdk = await registeredSdk();
    const calls = recordIpc();
    await sdk.invokePlugin("ping");
    expect(calls).toEqual([{ cmd: "plugin_invoke", payload: { args: { wire_name: "plugin_dev_haloforge_managed_image_gateway_ping", args: {} } } }]);
  });

  it("replaces every dot and dash in the id and changes nothing else", async () => {
    const sdk = await freshSdk();
    expect(sdk.pluginWireName("com.Example-co.my_plugin2", "do_it")).toBe("plugin_com_Example_co_my_plugin2_do_it");
    expect(sdk.pluginWireName("a..b--c", "Run-Now")).toBe("plugin_a__b__c_Run-Now");
  });

  it("rejects with the published message when registerPlugin was never called, without calling the host", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    await expect(sdk.invokePlugin("ping")).rejects.toThrow(
      "[plugin-sdk] invokePlugin: plugin ID not set. Did you call registerPlugin()?",
    );
    expect(calls).toEqual([]);
  });

  it("reports the missing id before the missing host", async () => {
    const sdk = await freshSdk();
    await expect(sdk.invokePlugin("ping")).rejects.toThrow("plugin ID not set");
  });

  it("passes the host's rejection through", async () => {
    const sdk = await registeredSdk();
    recordIpc(() => {
      throw new Error("Plugin command not found");
    });
    await expect(sdk.invokePlugin("nope")).rejects.toThrow("Plugin command not found");
  });
});

describe("other plugin commands", () => {
  it("invokeOtherPlugin targets another plugin's wire name without needing an id of its own", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    await sdk.invokeOtherPlugin("dev.haloforge.markdown", "render", { text: "# x" });
    await sdk.invokeOtherPlugin("dev.haloforge.markdown", "version");
    expect(calls).toEqual([
      { cmd: "plugin_invoke", payload: { args: { wire_name: "plugin_dev_haloforge_markdown_render", args: { text: "# x" } } } },
      { cmd: "plugin_invoke", payload: { args: { wire_name: "plugin_dev_haloforge_markdown_version", args: {} } } },
    ]);
  });

  it("emitPluginEvent calls the plugin's emit_event command with event and payload", async () => {
    const sdk = await registeredSdk();
    const calls = recordIpc();
    await sdk.emitPluginEvent("images.ready", { count: 2 });
    expect(calls).toEqual([
      {
        cmd: "plugin_invoke",
        payload: { args: { wire_name: "plugin_dev_haloforge_managed_image_gateway_emit_event", args: { event: "images.ready", payload: { count: 2 } } } },
      },
    ]);
  });

  it("emitPluginEvent names itself when the plugin id is unset", async () => {
    const sdk = await freshSdk();
    recordIpc();
    await expect(sdk.emitPluginEvent("x", null)).rejects.toThrow(
      "[plugin-sdk] emitPluginEvent: plugin ID not set. Did you call registerPlugin()?",
    );
  });

  it("invokeHost sends the raw host command and args", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc(() => ["a", "b"]);
    await expect(sdk.invokeHost("devkit_get_profiles", { limit: 2 })).resolves.toEqual(["a", "b"]);
    expect(calls).toEqual([{ cmd: "devkit_get_profiles", payload: { limit: 2 } }]);
  });
});

describe("outside a host (no Tauri IPC)", () => {
  const calls: Array<[string, (sdk: Sdk) => Promise<unknown>]> = [
    ["invokePlugin", (sdk) => sdk.invokePlugin("ping")],
    ["invokeOtherPlugin", (sdk) => sdk.invokeOtherPlugin("dev.haloforge.markdown", "render")],
    ["invokeHost", (sdk) => sdk.invokeHost("devkit_get_profiles")],
    ["emitPluginEvent", (sdk) => sdk.emitPluginEvent("images.ready", null)],
    ["saveHostFile", (sdk) => sdk.saveHostFile({ defaultName: "a.png" })],
    ["pickHostFile", (sdk) => sdk.pickHostFile()],
    ["getPluginSettings", (sdk) => sdk.getPluginSettings()],
    ["savePluginSettings", (sdk) => sdk.savePluginSettings({})],
  ];
  it.each(calls)("%s rejects saying the host is missing and how to run one", async (caller, call) => {
    const sdk = await registeredSdk();
    const failure = call(sdk);
    await expect(failure).rejects.toThrow(NOT_IN_HOST);
    await expect(failure).rejects.toThrow(`[plugin-sdk] ${caller}: `);
  });

  it("recovers once the host's IPC appears", async () => {
    const sdk = await registeredSdk();
    await expect(sdk.invokePlugin("ping")).rejects.toThrow(NOT_IN_HOST);
    recordIpc(() => ({ id: ID }));
    await expect(sdk.invokePlugin("ping")).resolves.toEqual({ id: ID });
  });
});
