// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { freshSdk, ID, registeredSdk, resetHost } from "./support.ts";

afterEach(resetHost);

const ID_UNSET = "[plugin-sdk] enterpriseGateway: plugin ID not set. Did you call registerPlugin()?";
const UNAVAILABLE = "[plugin-sdk] enterpriseGateway: host managed image gateway bridge is unavailable.";

function installBridge(version: unknown = 1) {
  const enterpriseGateway = {
    generateImages: vi.fn(async () => ({ data: [{ url: "https://cdn.example/1.png" }] })),
    editImages: vi.fn(async () => ({ data: [{ b64_json: "iVBORw0KGgo=" }] })),
    listOutputs: vi.fn(async () => ({ outputs: [] })),
  };
  window.__HALOFORGE_PLUGIN_HOST__ = { version, enterpriseGateway };
  return enterpriseGateway;
}

function installBridgeWithoutVersion() {
  const enterpriseGateway = installBridge();
  window.__HALOFORGE_PLUGIN_HOST__ = { enterpriseGateway };
  return enterpriseGateway;
}

describe("enterpriseGateway()", () => {
  it("forwards every call to the bridge with the plugin id as first argument", async () => {
    const sdk = await registeredSdk();
    const host = installBridge();
    const gateway = sdk.enterpriseGateway();

    const request = { model: "gpt-image-2", prompt: "icon", size: "1024x1024", n: 1 };
    await expect(gateway.generateImages(request)).resolves.toEqual({ data: [{ url: "https://cdn.example/1.png" }] });
    const edit = { prompt: "edit", images: [{ field_name: "image[]", file_name: "a.png", content_type: "image/png", b64_json: "AA==" }] };
    await expect(gateway.editImages(edit)).resolves.toEqual({ data: [{ b64_json: "iVBORw0KGgo=" }] });
    await expect(gateway.listOutputs(5)).resolves.toEqual({ outputs: [] });
    await gateway.listOutputs();

    expect(host.generateImages).toHaveBeenCalledWith(ID, request);
    expect(host.editImages).toHaveBeenCalledWith(ID, edit);
    expect(host.listOutputs.mock.calls).toEqual([[ID, 5], [ID, undefined]]);
  });

  it("is synchronous: it returns the api, not a promise", async () => {
    const sdk = await registeredSdk();
    installBridge();
    const gateway = sdk.enterpriseGateway();
    expect(gateway).not.toBeInstanceOf(Promise);
    expect(Object.keys(gateway).sort()).toEqual(["editImages", "generateImages", "listOutputs"]);
  });

  it("throws the plugin-id error first, even when no bridge exists", async () => {
    const sdk = await freshSdk();
    expect(() => sdk.enterpriseGateway()).toThrow(ID_UNSET);
  });

  it("throws the plugin-id error first, even when a working bridge exists", async () => {
    const sdk = await freshSdk();
    const host = installBridge();
    expect(() => sdk.enterpriseGateway()).toThrow(ID_UNSET);
    expect(host.generateImages).not.toHaveBeenCalled();
  });

  it.each([
    ["absent", () => undefined],
    ["of version 2", () => installBridge(2)],
    ["of version \"1\" (a string)", () => installBridge("1")],
    ["without a version", () => void installBridgeWithoutVersion()],
    ["without a gateway member", () => void (window.__HALOFORGE_PLUGIN_HOST__ = { version: 1 })],
  ])("throws the bridge-unavailable error when the bridge is %s", async (_bridge, arrange) => {
    const sdk = await registeredSdk();
    arrange();
    expect(() => sdk.enterpriseGateway()).toThrow(UNAVAILABLE);
  });

  it("reads the bridge on every call, so a probe follows the host", async () => {
    const sdk = await registeredSdk();
    expect(() => sdk.enterpriseGateway()).toThrow(UNAVAILABLE);
    installBridge();
    expect(() => sdk.enterpriseGateway()).not.toThrow();
    delete window.__HALOFORGE_PLUGIN_HOST__;
    expect(() => sdk.enterpriseGateway()).toThrow(UNAVAILABLE);
  });

  it("passes the host's rejection (e.g. signed out) through unchanged", async () => {
    const sdk = await registeredSdk();
    const host = installBridge();
    const signedOut = new Error("Sign in to HaloForge Cloud to use the image gateway.");
    host.generateImages.mockRejectedValueOnce(signedOut);
    await expect(sdk.enterpriseGateway().generateImages({ model: "m", prompt: "p" })).rejects.toBe(signedOut);
  });
});
