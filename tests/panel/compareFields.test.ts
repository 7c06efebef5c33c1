// @vitest-environment jsdom
// A compare column is built with its own profile's provider fields: the same composer request
// sent to an OpenAI profile (in use) and an xAI profile keeps quality, size and format for the
// first and leaves out what xAI refuses for the second (its size goes as xAI's ratio terms). Only the native backend is faked (the
// IPC boundary), the store, core and adapters are the panel's.
import { mockIPC } from "@tauri-apps/api/mocks";
import { expect, it, vi } from "vitest";
import { planCompare } from "../../machines/index.ts";
import { PROFILE_DEFAULTS } from "../../src/schemas/profile.ts";
import { usePanelStore } from "../../src/stores/panel.store.ts";
import { SETTINGS_STORAGE_KEY } from "../../src/stores/settings.store.ts";
import { useFakeHost } from "./fakeHost.ts";
import { testApp } from "./testEnvironment.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

useFakeHost();

it("leaves out of each column's request what that column's provider refuses, and only that", async () => {
  localStorage.setItem(
    SETTINGS_STORAGE_KEY,
    JSON.stringify({
      gateway: "profile:openai",
      profiles: [
        { ...PROFILE_DEFAULTS, id: "openai", name: "OpenAI", preset: "openai", baseUrl: "https://api.openai.com/v1" },
        { ...PROFILE_DEFAULTS, id: "xai", name: "xAI", preset: "xai", baseUrl: "https://api.x.ai/v1" },
      ],
    }),
  );
  const sent: { profileId: string; request: Record<string, unknown> }[] = [];
  mockIPC((_command, payload) => {
    const { wire_name: wireName = "", args } = (payload as { args?: { wire_name?: string; args?: Record<string, unknown> } }).args ?? {};
    if (!wireName.endsWith("_generate_images")) return { ok: true, apiKeySet: true };
    const { requestId, endpoint, request } = args as { requestId: string; endpoint: { profileId: string }; request: Record<string, unknown> };
    sent.push({ profileId: endpoint.profileId, request });
    return { ok: true, requestId, result: { data: [{ b64_json: PNG }] } };
  });
  const app = testApp();
  const panel = app.runWithContext(() => usePanelStore());
  const request = { operation: "generate", prompt: "a fox", model: "gpt-image-1", size: "1024x1024", quality: "high", outputFormat: "png", n: 1 };
  const plan = planCompare(request, [{ mode: "custom", profileId: "openai", model: "gpt-image-1" }, { mode: "custom", profileId: "xai", model: "grok-2-image" }], panel.gatewayFacts);
  if (!plan.ok) throw new Error(JSON.stringify(plan.problem));
  panel.submitBatch(plan);
  await vi.waitFor(() => expect(sent).toHaveLength(2));
  const byProfile = Object.fromEntries(sent.map((each) => [each.profileId, each.request]));
  expect(byProfile.openai).toMatchObject({ model: "gpt-image-1", size: "1024x1024", quality: "high", output_format: "png" });
  // xAI names sizes by ratio: the same square goes as its ratio, at a resolution at least as long.
  expect(byProfile.xai).toMatchObject({ model: "grok-2-image", prompt: "a fox", aspect_ratio: "1:1", resolution: "1k" });
  for (const refused of ["size", "quality", "output_format"]) expect(byProfile.xai).not.toHaveProperty(refused);
  app.unmount();
});
