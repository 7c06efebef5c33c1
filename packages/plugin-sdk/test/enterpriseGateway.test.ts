// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { freshSdk, resetHost } from "./support.ts";

afterEach(resetHost);

const ID = "dev.haloforge.managed-image-gateway";

function installBridge(version: unknown = 1) {
  const enterpriseGateway = {
    generateImages: vi.fn(async () => ({ data: [{ url: "https://cdn.example/1.png" }] })),
    editImages: vi.fn(async () => ({ data: [{ b64_json: "iVBORw0KGgo=" }] })),
    listOutputs: vi.fn(async () => ({ outputs: [] })),
  };
  window.__HALOFORGE_PLUGIN_HOST__ = { version, enterpriseGateway };
  return enterpriseGateway;
}

describe("enterpriseGateway()", () => {
  it("forwards every call with the plugin id as first argument", async () => {
    const sdk = await freshSdk();
    const host = installBridge();
    sdk.registerPlugin(ID, sdk.definePlugin({}));
    const gateway = sdk.enterpriseGateway();

    const request = { model: "gpt-image-1", prompt: "icon", size: "1024x1024", n: 1 };
    await expect(gateway.generateImages(request)).resolves.toEqual({ data: [{ url: "https://cdn.example/1.png" }] });
    const edit = { prompt: "edit", images: [{ field_name: "image[]", file_name: "a.png", content_type: "image/png", b64_json: "AA==" }] };
    await gateway.editImages(edit);
    await gateway.listOutputs(5);

    expect(host.generateImages).toHaveBeenCalledWith(ID, request);
    expect(host.editImages).toHaveBeenCalledWith(ID, edit);
    expect(host.listOutputs).toHaveBeenCalledWith(ID, 5);
  });

  it("throws the plugin-id error first, even when no bridge exists", async () => {
    const sdk = await freshSdk();
    expect(() => sdk.enterpriseGateway()).toThrow(
      "[plugin-sdk] enterpriseGateway: plugin ID not set. Did you call registerPlugin()?",
    );
  });

  it.each([
    ["absent", () => undefined],
    ["of another version", () => installBridge(2)],
    ["without a gateway member", () => void (window.__HALOFORGE_PLUGIN_HOST__ = { version: 1 })],
  ])("throws the bridge-unavailable error when the bridge is %s", async (_case, arrange) => {
    const sdk = await freshSdk();
    arrange();
    sdk.registerPlugin(ID, sdk.definePlugin({}));
    expect(() => sdk.enterpriseGateway()).toThrow(
      "[plugin-sdk] enterpriseGateway: host managed image gateway bridge is unavailable.",
    );
  });

  it("passes the host's rejection (e.g. signed out) through unchanged", async () => {
    const sdk = await freshSdk();
    const host = installBridge();
    host.generateImages.mockRejectedValueOnce(new Error("Sign in to HaloForge Cloud to use the image gateway."));
    sdk.registerPlugin(ID, sdk.definePlugin({}));
    await expect(sdk.enterpriseGateway().generateImages({ model: "m", prompt: "p" })).rejects.toThrow("Sign in");
  });
});
