// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { freshSdk, ID, recordIpc, registeredSdk, resetHost } from "./support.ts";

afterEach(resetHost);

describe("log() and createPluginLogger()", () => {
  it("sends frontend_log_event with level, plugin scope, trimmed message and details", async () => {
    const sdk = await registeredSdk();
    const calls = recordIpc();
    await sdk.createPluginLogger("gateway").info("  image request started  ", { requestId: "r1", count: 2 });
    expect(calls).toStrictEqual([
      {
        cmd: "frontend_log_event",
        payload: { level: "info", scope: `plugin:${ID}:gateway`, message: "image request started", details: { requestId: "r1", count: 2 } },
      },
    ]);
  });

  it.each(["trace", "debug", "info", "warn", "error"] as const)("a logger's %s method sends that level", async (level) => {
    const sdk = await registeredSdk();
    const calls = recordIpc();
    await sdk.createPluginLogger()[level]("m");
    expect(calls).toStrictEqual([{ cmd: "frontend_log_event", payload: { level, scope: `plugin:${ID}`, message: "m", details: null } }]);
  });

  it("accepts both call forms, defaulting level to info, details to null and a blank message", async () => {
    const sdk = await registeredSdk();
    const calls = recordIpc();
    await sdk.log("warn", "slow", undefined, "  ");
    await sdk.log({ message: "   " });
    await sdk.log("debug");
    await sdk.log({ level: "error", message: "x", details: 0, scope: " machines " });
    expect(calls.map((call) => call.payload)).toStrictEqual([
      { level: "warn", scope: `plugin:${ID}`, message: "slow", details: null },
      { level: "info", scope: `plugin:${ID}`, message: "Plugin log event", details: null },
      { level: "debug", scope: `plugin:${ID}`, message: "Plugin log event", details: null },
      { level: "error", scope: `plugin:${ID}:machines`, message: "x", details: 0 },
    ]);
  });

  it("scopes records to plain 'plugin' before registration", async () => {
    const sdk = await freshSdk();
    const calls = recordIpc();
    await sdk.log({ level: "debug", message: "early", scope: "boot" });
    await sdk.log("info", "earlier");
    expect(calls.map((call) => (call.payload as { scope: string }).scope)).toEqual(["plugin:boot", "plugin"]);
  });

  it.each([
    ["error", "error"],
    ["warn", "warn"],
    ["debug", "debug"],
    ["info", "info"],
    ["trace", "info"],
  ] as const)("never rejects: a %s record falls back to console.%s when the host fails", async (level, method) => {
    const sdk = await registeredSdk();
    recordIpc(() => {
      throw new Error("host log sink closed");
    });
    const print = vi.spyOn(console, method).mockImplementation(() => undefined);
    await expect(sdk.createPluginLogger("gateway")[level]("request failed", { status: 500 })).resolves.toBeUndefined();
    expect(print).toHaveBeenCalledTimes(1);
    expect(print).toHaveBeenCalledWith(`[plugin:${ID}:gateway] request failed`, { status: 500 }, expect.any(Error));
  });

  it("falls back to the console outside a host, printing why, instead of throwing", async () => {
    const sdk = await freshSdk();
    const print = vi.spyOn(console, "info").mockImplementation(() => undefined);
    await expect(sdk.log("info", "no host here")).resolves.toBeUndefined();
    expect(print).toHaveBeenCalledWith(
      "[plugin] no host here",
      "",
      expect.objectContaining({ message: expect.stringContaining("no Tauri IPC") }),
    );
  });

  it("never rejects for untyped callers passing a non-string message or no options", async () => {
    const sdk = await registeredSdk();
    const calls = recordIpc();
    const untyped = sdk.log as (...args: unknown[]) => Promise<void>;
    await expect(untyped({ level: "warn", message: 404 })).resolves.toBeUndefined();
    await expect(untyped(undefined)).resolves.toBeUndefined();
    expect(calls.map((call) => call.payload)).toStrictEqual([
      { level: "warn", scope: `plugin:${ID}`, message: "404", details: null },
      { level: "info", scope: `plugin:${ID}`, message: "Plugin log event", details: null },
    ]);
  });
});

describe("notify()", () => {
  it("prints to the console while the host has installed no toast emitter", async () => {
    const sdk = await freshSdk();
    const print = vi.spyOn(console, "info").mockImplementation(() => undefined);
    sdk.notify({ title: "Saved", message: "image.png" });
    expect(print).toHaveBeenCalledWith("[plugin toast] Saved: image.png");
  });

  it("hands the notification to the host's emitter once installed, and not to the console", async () => {
    const sdk = await freshSdk();
    const print = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const emitter = vi.fn();
    sdk._setToastEmitter(emitter);
    sdk.notify({ title: "Saved", message: "image.png", kind: "success", duration: 3000 });
    expect(emitter).toHaveBeenCalledWith({ title: "Saved", message: "image.png", kind: "success", duration: 3000 });
    expect(print).not.toHaveBeenCalled();
  });
});
