// @vitest-environment jsdom
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, expect, it } from "vitest";
import { listenHostEvent } from "../src/index.ts";

afterEach(() => clearMocks());

it("hands each event's payload to the handler until it stops listening", async () => {
  mockIPC(() => undefined, { shouldMockEvents: true });
  const payloads: unknown[] = [];
  const stop = await listenHostEvent("plugin:dev.haloforge.managed-image-gateway:request_progress", (payload) => payloads.push(payload));
  await emit("plugin:dev.haloforge.managed-image-gateway:request_progress", { requestId: "r-1", seq: 1 });
  await emit("some-other-event", { seq: 9 });
  stop();
  await emit("plugin:dev.haloforge.managed-image-gateway:request_progress", { requestId: "r-1", seq: 2 });
  expect(payloads).toEqual([{ requestId: "r-1", seq: 1 }]);
});

it("rejects, naming itself, without Tauri IPC", async () => {
  await expect(listenHostEvent("any", () => undefined)).rejects.toThrow(/\[plugin-sdk\] listenHostEvent: the HaloForge host is not available/);
});

it("makes the same host calls as Tauri's own listen and unlisten", async () => {
  const { listen } = await import("@tauri-apps/api/event");
  const record = async (subscribe: () => Promise<() => unknown>) => {
    const calls: unknown[] = [];
    mockIPC((cmd, payload) => {
      calls.push([cmd, { ...(payload as object), ...((payload as { handler?: unknown }).handler === undefined ? {} : { handler: "callback" }) }]);
      return cmd === "plugin:event|listen" ? 7 : null;
    });
    Object.assign(window, { __TAURI_EVENT_PLUGIN_INTERNALS__: { unregisterListener: (event: string, eventId: number) => void calls.push(["unregisterListener", event, eventId]) } });
    const stop = await subscribe();
    await stop();
    await Promise.resolve();
    clearMocks();
    return calls;
  };
  const name = "plugin:dev.haloforge.managed-image-gateway:request_progress";
  const ours = await record(() => listenHostEvent(name, () => undefined));
  expect(ours).toEqual(await record(() => listen(name, () => undefined)));
  expect(ours).toEqual([
    ["plugin:event|listen", { event: name, target: { kind: "Any" }, handler: "callback" }],
    ["unregisterListener", name, 7],
    ["plugin:event|unlisten", { event: name, eventId: 7 }],
  ]);
});
