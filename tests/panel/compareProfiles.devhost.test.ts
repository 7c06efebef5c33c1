// @vitest-environment jsdom
// A compare across two endpoint profiles through the real native backend (the dev host's plugin
// worker) and its two fake providers on two origins: the panel's store, core and adapters as
// they run in the page, only the IPC transport replaced by a forward to the dev host. Each
// profile's provider receives exactly its own request, carrying a key in that profile's own key
// header; a key saved for one profile is bound to its origin, so it could not reach the other.
// Needs `npm run build:e2e`.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { planCompare } from "../../machines/index.ts";
import { startDevhost, type RunningDevhost } from "../../scripts/dev/devhost.ts";
import { PROFILE_DEFAULTS } from "../../src/schemas/profile.ts";
import { usePanelStore } from "../../src/stores/panel.store.ts";
import { SETTINGS_STORAGE_KEY } from "../../src/stores/settings.store.ts";
import { testApp } from "./testEnvironment.ts";

const ROOT = join(import.meta.dirname, "../..");
const KEYS = { a: "sk-compare-A-PLANTED-71c3e0", b: "sk-compare-B-PLANTED-2f9d44" };
const home = mkdtempSync(join(tmpdir(), "hfmig-compare-"));
let devhost: RunningDevhost;

beforeAll(async () => {
  devhost = await startDevhost({ rootDir: ROOT, args: ["--home", home, "--dist", join(ROOT, "dist-dev")], onLine: () => undefined });
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  // Tauri's invoke, as the page's shim does it: every command to the dev host's /invoke.
  mockIPC(async (command, payload) => {
    const answer = await fetch(`${devhost.origin}/invoke/${command}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload ?? {}) });
    if (!answer.ok) throw new Error(await answer.text());
    return answer.json();
  });
}, 90_000);
afterAll(async () => {
  clearMocks();
  await devhost?.stop();
});

interface Call {
  method: string;
  path: string;
  authHeaders: string[];
  keyPresent: boolean;
}
const imageCalls = async (baseUrl: string): Promise<Call[]> =>
  ((await (await fetch(`${new URL(baseUrl).origin}/calls`)).json()) as { calls: Call[] }).calls.filter((call) => call.path.includes("/images/"));

it("sends each column to its own profile's origin with its own key header, one request each", async () => {
  const a = devhost.fakeBaseUrl;
  const b = devhost.otherFakeBaseUrl;
  expect(new URL(a).origin).not.toBe(new URL(b).origin);
  localStorage.setItem(
    SETTINGS_STORAGE_KEY,
    JSON.stringify({
      gateway: "profile:a",
      profiles: [
        { ...PROFILE_DEFAULTS, id: "a", name: "Relay A", baseUrl: a, auth: "bearer", allowInsecureHttp: true },
        { ...PROFILE_DEFAULTS, id: "b", name: "Relay B", baseUrl: b, auth: "api-key", allowInsecureHttp: true },
      ],
    }),
  );
  const app = testApp();
  const panel = app.runWithContext(() => usePanelStore());
  panel.saveKey("a", KEYS.a);
  panel.saveKey("b", KEYS.b);
  await vi.waitFor(() => expect([panel.keyOf("a").set, panel.keyOf("b").set]).toEqual([true, true]), { timeout: 10_000 });

  const before = { a: (await imageCalls(a)).length, b: (await imageCalls(b)).length };
  const request = { operation: "generate", prompt: "compare: two relays", model: "gpt-image-1", size: "1024x1024", n: 1 };
  const plan = planCompare(request, [{ mode: "custom", profileId: "a", model: "gpt-image-1" }, { mode: "custom", profileId: "b", model: "gpt-image-1" }], panel.gatewayFacts);
  expect(plan.ok).toBe(true);
  if (!plan.ok) return;
  panel.submitBatch(plan);
  await vi.waitFor(() => expect(panel.views.map((view) => view.phase)).toEqual(["succeeded", "succeeded"]), { timeout: 30_000 });
  expect(panel.views.map((view) => view.profileName)).toEqual(["Relay A", "Relay B"]);

  const afterA = (await imageCalls(a)).slice(before.a);
  const afterB = (await imageCalls(b)).slice(before.b);
  expect(afterA).toEqual([expect.objectContaining({ method: "POST", authHeaders: ["authorization"], keyPresent: true })]);
  expect(afterB).toEqual([expect.objectContaining({ method: "POST", authHeaders: ["api-key"], keyPresent: true })]);

  // Neither key was written to the host's log.
  const logs = join(home, ".haloforge", "logs");
  const logText = readdirSync(logs).map((file) => readFileSync(join(logs, file), "utf8")).join("");
  expect(logText).toContain("image request succeeded");
  for (const key of Object.values(KEYS)) expect(logText).not.toContain(key);
  app.unmount();
}, 60_000);
