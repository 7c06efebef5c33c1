// @vitest-environment jsdom
// What the answer says it made reaches the viewer's and history's "requested / actual" rows: the
// real native command on the dev host calls its embedded fake provider, which echoes size,
// quality, format and background as OpenAI does (SiliconFlow: the seed it used); the answer goes
// through the custom adapter, the request machine, its view, the results and history.
// Needs `npm run build:e2e` (the dev host and the plugin library).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { disposePinia } from "pinia";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { startDevhost, type RunningDevhost } from "../../scripts/dev/devhost.ts";
import { callCustomEndpoint } from "../../src/adapters/customGateway.ts";
import { memoryHistory } from "../../src/history/historyBackend.ts";
import { presetOf } from "../../src/profiles/presets.ts";
import { useHistoryStore } from "../../src/stores/history.store.ts";
import { selectGalleryItems, selectRecordActual, selectRecordItems, selectRequestedActual, selectRequestView, selectResultGroups, type EndpointDescription, type RequestInput } from "../../machines/index.ts";
import { createBoundary, gatewayResolved, startRequest } from "../machines/support.ts";
import { TEST_ENDPOINT } from "../panel/testEndpoint.ts";
import { testApp, testEnvironment } from "../panel/testEnvironment.ts";

const ROOT = join(import.meta.dirname, "../..");
let devhost: RunningDevhost;

beforeAll(async () => {
  devhost = await startDevhost({ rootDir: ROOT, args: ["--home", mkdtempSync(join(tmpdir(), "hfmig-echo-"))], onLine: () => undefined });
}, 90_000);
afterAll(() => devhost?.stop());

beforeEach(() => {
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  // The host boundary: Tauri's invoke reaches the dev host's command endpoint, as the dev page's shim does.
  mockIPC(async (cmd, payload) => {
    const response = await fetch(`${devhost.origin}/invoke/${encodeURIComponent(cmd)}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload ?? {}) });
    return response.json();
  });
  return () => clearMocks();
});

const fakeUrl = (options: string) => devhost.fakeBaseUrl.replace(/\/v1$/, `/fake/${options}/v1`);

/** One request through the real adapter and the request machine: its view once it ended. */
async function run(input: RequestInput, endpoint: EndpointDescription) {
  const events = await callCustomEndpoint("req-1", input, endpoint);
  const boundary = createBoundary();
  const actor = startRequest(boundary, input);
  actor.send({ type: "request.start" });
  await gatewayResolved(actor);
  for (const event of events) boundary.answer("req-1", event);
  const view = selectRequestView(actor.getSnapshot(), boundary.now());
  expect(view.phase, JSON.stringify(events.filter((event) => event.type === "gateway.failed"))).toBe("succeeded");
  return view;
}

/** Settles the view into a history store over memory storage and reads the record back. */
function recorded(view: ReturnType<typeof selectRequestView>, input: RequestInput) {
  const backend = memoryHistory();
  const app = testApp(testEnvironment({ historyBackend: () => backend, objectUrls: { create: () => "blob:x", revoke: () => undefined } }));
  const store = app.runWithContext(() => useHistoryStore());
  store.accept(view.id, view.createdAt, input);
  store.settle(view);
  const record = store.records[0]!;
  disposePinia(app.config.globalProperties.$pinia);
  return record;
}

const imageUrl = () => "blob:panel/0";

describe("the answer's echo, requested against actual", () => {
  it("shows the quality a relay made instead of the one asked for, in the viewer and in history", async () => {
    const input: RequestInput = { operation: "generate", prompt: "a red fox", model: "gpt-image-2", size: "1536x1024", n: 1, quality: "high", outputFormat: "png", background: "opaque" };
    const endpoint = { ...TEST_ENDPOINT, baseUrl: fakeUrl("image-size=1536x1024,ignore-options"), auth: "none" as const };
    const view = await run(input, endpoint);
    expect(view.echo).toEqual({ size: "1536x1024", quality: "medium", outputFormat: "png", background: "opaque" });

    const [item] = selectGalleryItems(selectResultGroups([view], []), imageUrl).items;
    const viewerRows = selectRequestedActual(item!.details!, { type: item!.blob?.type, echo: item!.details!.echo });
    expect(viewerRows).toEqual([
      { field: "size", requested: "1536x1024", actual: "1536x1024", differs: false },
      { field: "format", requested: "png", actual: "png", differs: false },
      { field: "quality", requested: "high", actual: "medium", differs: true },
      { field: "background", requested: "opaque", actual: "opaque", differs: false },
    ]);

    const record = recorded(view, input);
    expect(record.echo).toEqual(view.echo);
    expect(selectRecordActual(record)).toEqual(viewerRows);
    expect(selectRecordItems(record, imageUrl)[0]!.details!.echo).toEqual(view.echo);
  }, 60_000);

  it("shows the seed SiliconFlow chose, in the viewer and in history", async () => {
    const input: RequestInput = { operation: "generate", prompt: "a red fox", model: "Kwai-Kolors/Kolors", size: "1024x1024", n: 1 };
    const endpoint: EndpointDescription = { ...TEST_ENDPOINT, baseUrl: fakeUrl("mode=siliconflow"), dialect: "siliconflow", auth: "none", fields: presetOf("siliconflow").fields };
    const view = await run(input, endpoint);
    expect(view.echo).toEqual({ seed: 4_242_424_242 });

    const [item] = selectGalleryItems(selectResultGroups([view], []), imageUrl).items;
    const seedRow = { field: "seed", actual: "4242424242", differs: false };
    expect(selectRequestedActual(item!.details!, { echo: item!.details!.echo })).toContainEqual(seedRow);
    expect(selectRecordActual(recorded(view, input))).toContainEqual(seedRow);
  }, 60_000);
});
