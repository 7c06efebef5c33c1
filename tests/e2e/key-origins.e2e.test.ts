// Keys bound to origins, checked from outside the panel: a caller of the dev host's IPC (any
// frontend or plugin can make these calls) saves a key for one fake provider, then tries every
// way to have it sent to a second fake provider on another port (another origin): other base
// URL spellings, other commands, extra headers. The second origin's own record of what it
// received (GET /calls: credential header names and whether a key was present, never a value)
// shows it never got the key. A relay that answers 524 after a delay ends as gateway_timeout
// that may have run, sent once. Needs `npm run build:e2e`.
import { expect, it } from "vitest";
import { useHarness } from "./support/harness.ts";

const PLUGIN_ID = "dev.haloforge.managed-image-gateway";
const KEY = "sk-origin-bound-PLANTED-5c2e91";
const harness = useHarness();

/** A command as another frontend invokes it: the host's plugin_invoke over the dev host's IPC. */
async function invoke(command: string, args: unknown): Promise<Record<string, unknown> & { error?: Record<string, unknown> }> {
  const response = await fetch(`${harness().devhost.origin}/invoke/plugin_invoke`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ args: { wire_name: `plugin_${PLUGIN_ID.replace(/[.-]/g, "_")}_${command}`, args } }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

interface Call {
  path: string;
  authHeaders: string[];
  keyPresent: boolean;
}
const calls = async (baseUrl: string): Promise<Call[]> => ((await (await fetch(`${new URL(baseUrl).origin}/calls`)).json()) as { calls: Call[] }).calls;

const request = { model: "gpt-image-1", prompt: "a lighthouse" };
const TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

it("never sends a key saved for one origin to another, whatever the caller passes", async () => {
  const a = harness().devhost.fakeBaseUrl;
  const b = harness().devhost.otherFakeBaseUrl;
  expect(new URL(a).origin).not.toBe(new URL(b).origin);
  expect(await invoke("set_api_key", { profileId: "default", baseUrl: a, apiKey: KEY })).toEqual({ ok: true, apiKeySet: true, storage: "file" });

  // Its own origin gets it.
  expect((await invoke("generate_images", { requestId: "ko-a", endpoint: { profileId: "default", baseUrl: a, dialect: "images", auth: "bearer" }, request })).ok).toBe(true);
  expect((await calls(a)).at(-1)).toMatchObject({ authHeaders: ["authorization"], keyPresent: true });

  const bOrigin = new URL(b).origin;
  const attempts: [string, unknown][] = [
    ["generate_images", { requestId: "ko-1", endpoint: { profileId: "default", baseUrl: b, dialect: "images", auth: "bearer" }, request }],
    ["generate_images", { requestId: "ko-2", endpoint: { profileId: "default", baseUrl: `${bOrigin}/fake/latency=1/v1`, dialect: "images", auth: "bearer" }, request }],
    ["generate_images", { requestId: "ko-3", endpoint: { profileId: "default", baseUrl: bOrigin.replace("127.0.0.1", "localhost"), dialect: "images", auth: "bearer" }, request }],
    ["generate_images", { requestId: "ko-4", endpoint: { profileId: "default", baseUrl: `${b}/images/generations`, dialect: "images", auth: "bearer" }, request, stream: true, partialImages: 1 }],
    ["edit_images", { requestId: "ko-5", endpoint: { profileId: "default", baseUrl: b, dialect: "images", auth: "bearer" }, request: { ...request, images: [{ file_name: "a.png", b64_json: TINY_PNG }] } }],
    ["generate_via_responses", { requestId: "ko-6", endpoint: { profileId: "default", baseUrl: b, dialect: "responses", auth: "bearer" }, request: { model: "gpt-4.1", prompt: "p" } }],
    ["test_connection", { requestId: "ko-7", endpoint: { profileId: "default", baseUrl: b, dialect: "images", auth: "bearer" } }],
  ];
  for (const [command, args] of attempts) {
    const answer = await invoke(command, args);
    expect(answer.error, `${command} ${JSON.stringify(args).slice(0, 120)}`).toMatchObject({ code: "key_origin_mismatch", sent: false, may_have_run: false });
  }
  // Extra headers cannot carry it either: by name, or by value under an innocent name.
  for (const headers of [{ Authorization: `Bearer ${KEY}` }, { "x-goog-api-key": KEY }, { Cookie: `k=${KEY}` }, { "X-Trace": KEY }]) {
    const answer = await invoke("generate_images", { requestId: "ko-h", endpoint: { profileId: "another", baseUrl: b, extraHeaders: headers, dialect: "images", auth: "bearer" }, request });
    expect(answer.error).toMatchObject({ code: "invalid_config", reason: "credential_header", sent: false });
    expect(JSON.stringify(answer)).not.toContain(KEY);
  }
  expect(await calls(b), "nothing of the above reached the other origin").toEqual([]);

  // Another profile reaches it, without any key.
  expect((await invoke("generate_images", { requestId: "ko-other", endpoint: { profileId: "another", baseUrl: b, dialect: "images", auth: "bearer" }, request })).ok).toBe(true);
  expect(await calls(b)).toEqual([expect.objectContaining({ authHeaders: [], keyPresent: false })]);
  // The status says set or not and where; never the key or the origin it is bound to.
  const status = await invoke("api_key_status", { profileId: "default" });
  expect(status).toEqual({ ok: true, apiKeySet: true, storage: "file" });
  expect(harness().logText()).not.toContain(KEY);
}, 60_000);

it("ends a relay that answers 524 after a delay as a gateway timeout that may have run, sent once", async () => {
  const relay = harness().fakeUrl("fault=relay-524,latency=1500");
  const started = Date.now();
  const answer = await invoke("generate_images", { requestId: "relay-1", endpoint: { profileId: "relay", baseUrl: relay, dialect: "images", auth: "bearer" }, request });
  expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  expect(answer.error).toMatchObject({ code: "gateway_timeout", status: 524, sent: true, may_have_run: true });
  expect((await calls(relay)).filter((call) => call.path.includes("relay-524"))).toHaveLength(1);
}, 30_000);
