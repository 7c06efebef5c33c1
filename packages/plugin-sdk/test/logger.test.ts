// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { freshSdk, recordIpc, resetHost } from "./support.ts";

afterEach(resetHost);

const ID = "dev.haloforge.managed-image-gateway";

describe("log() and createPluginLogger()", () => {
  it("sends frontend_log_event with level, plugin scope, trimmed message and details", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    sdk.registerPlugin(ID, sdk.definePlugin({}));
    await sdk.createPluginLogger("gateway").info("  image request started  ", { requestId: "r1", count: 2 });
    expect(calls).toEqual([
      {
        cmd: "frontend_log_event",
        payload: { level: "info", scope: `plugin:${ID}:gateway`, message: "image request started", details: { requestId: "r1", count: 2 } },
      },
    ]);
  });

  it("accepts both call forms, defaults level to info, details to null and a blank message", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    sdk.registerPlugin(ID, sdk.definePlugin({}));
    await sdk.log("warn", "slow", undefined, "  ");
    await sdk.log({ message: "   " });
    expect(calls.map((call) => call.payload)).toEqual([
      { level: "warn", scope: `plugin:${ID}`, message: "slow", details: null },
      { level: "info", scope: `plugin:${ID}`, message: "Plugin log event", details: null },
    ]);
  });

  it("scopes records to plain 'plugin' before registration", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    await sdk.log({ level: "debug", message: "early", scope: "boot" });
    expect(calls[0]?.payload).toMatchObject({ scope: "plugin:boot", level: "debug" });
  });

  it.each([
    ["error", "error"],
    ["warn", "warn"],
    ["debug", "debug"],
    ["info", "info"],
    ["trace", "info"],
  ] as const)("never rejects: a %s record falls back to console.%s when the host fails", async (level, method) => {
    const sdk = await freshSdk();
    recordIpc(() => {
      throw new Error("host log sink closed");
    });
    sdk.registerPlugin(ID, sdk.definePlugin({}));
    const print = vi.spyOn(console, method).mockImplementation(() => undefined);
    await expect(sdk.createPluginLogger()[level]("request failed", { status: 500 })).resolves.toBeUndefined();
    expect(print).toHaveBeenCalledWith(`[plugin:${ID}] request failed`, { status: 500 }, expect.any(Error));
  });

  it("falls back to the console outside a host instead of throwing", async () => {
    const sdk = await freshSdk();
    const print = vi.spyOn(console, "info").mockImplementation(() => undefined);
    await expect(sdk.log("info", "no host here")).resolves.toBeUndefined();
    expect(print).toHaveBeenCalledWith("[plugin] no host here", expect.any(Error));
  });
});

describe("notify()", () => {
  it("uses the host's toast emitter when installed, else the console", async () => {
    const sdk = await freshSdk();
    const print = vi.spyOn(console, "info").mockImplementation(() => undefined);
    sdk.notify({ title: "Saved", message: "image.png" });
    expect(print).toHaveBeenCalledWith("[plugin toast] Saved: image.png");
    const emitter = vi.fn();
    sdk._setToastEmitter(emitter);
    sdk.notify({ title: "Saved", message: "image.png", kind: "success" });
    expect(emitter).toHaveBeenCalledWith({ title: "Saved", message: "image.png", kind: "success" });
  });
});
