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
