// Fault catalogue end to end: every fault the native path maps to a typed error (the fake
// provider's faults, a refused connection, a base URL the panel refuses) and every fault of the
// managed path (upstream failures, a partial answer, signed out before and during a request, the
// host bridge missing, throwing or answering malformed data) runs through the real panel. Each
// ends in its phase with a redacted summary and the fix for it, and leaves the draft, the
// settings, the history and the images already received as they were. Needs `npm run build:e2e`.
import { createServer } from "node:net";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import type { FixKey, HintKey, ReasonKey } from "../../machines/labels.ts";
import { MESSAGES, type MessageKey } from "../../src/i18n/messages.ts";

/** The panel's English wording of `key`. */
const english = (key: MessageKey) => MESSAGES[key][0];
import { chooseMode, dumpStorage, generate, openPanel, queueManagedFault, setBaseUrl, setSession, useHarness, type Harness } from "./support/harness.ts";

// Fault specs travel in a URL path (custom) or a fault queue: no spaces, commas or slashes.
const SECRET = "sk-fault-PLANTED-SECRET-4e7d21c9";
const PROMPT = "fault catalogue: a glass orchard under fresh snow at blue hour, long lens, 3b9f";
const FIRST_PROMPT = "fault catalogue, before any fault: a copper kettle";

type Phase = "failed" | "timedOut";

interface Fault {
  name: string;
  /** Brings the fault about; the request is submitted after it. */
  arrange(page: Page, harness: Harness): Promise<void>;
  /** Runs while the request is in flight (e.g. signing out). */
  during?(page: Page): Promise<void>;
  /** Undoes `arrange` once the card is checked. */
  restore?(page: Page): Promise<void>;
  phase: Phase;
  /** What the summary must say (it is redacted: never the secret, never the whole prompt). */
  summary: RegExp;
  /** The hint shown, by failure code; or the reason, for a request no gateway could take. */
  hint: HintKey | { reason: ReasonKey };
  /** The fix button, when the panel can take the user to the fix. */
  fix?: FixKey;
}

const setHostBridge = (page: Page, name: "Present" | "Missing" | "Throws" | "Malformed answers") =>
  page.getByRole("radiogroup", { name: "Host bridge" }).getByRole("radio", { name }).check();
const cloudUsable = (page: Page) => expect.poll(() => page.getByTestId("gateway-label").innerText()).toBe("HaloForge Cloud gateway");
const restoreBridge = async (page: Page) => {
  await setHostBridge(page, "Present");
  await cloudUsable(page);
};
/** Signs back in in the host, then uses the gateway status's "Check again" (the card adds no fix). */
const signInAgain = async (page: Page) => {
  await setSession(page, "HaloForge Cloud");
  await page.getByTestId("gateway-fix").click();
  await cloudUsable(page);
};
const custom = (options: string) => async (page: Page, harness: Harness) => setBaseUrl(page, harness.fakeUrl(options));
const managed = (...faults: string[]) => async (page: Page) => queueManagedFault(page, ...faults);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The native catalogue: native/plugin/src/error/mod.rs codes, produced by native/fake-provider faults.
const NATIVE: Fault[] = [
  { name: "400 with a secret in the body", arrange: custom(`fault=status:400:invalid-size-for-key-${SECRET}`), phase: "failed", summary: /rejected the request.*invalid-size/, hint: "invalid_request" },
  { name: "401", arrange: custom(`fault=status:401:incorrect-key-${SECRET}`), phase: "failed", summary: /refused the API key.*incorrect-key/, hint: "unauthorizedAuth", fix: "openSettings" },
  { name: "403", arrange: custom(`fault=status:403:model-not-allowed-for-${SECRET}`), phase: "failed", summary: /no access.*model-not-allowed/, hint: "forbidden", fix: "openSettings" },
  { name: "404", arrange: custom("fault=404"), phase: "failed", summary: /not found/, hint: "not_found", fix: "openSettings" },
  { name: "413", arrange: custom("fault=413"), phase: "failed", summary: /too large/, hint: "payload_too_large" },
  { name: "429 on every retry", arrange: custom("fault=rate-limit:1"), phase: "failed", summary: /limiting requests/, hint: "rate_limited" },
  { name: "500 with a secret in the body", arrange: custom(`fault=status:500:upstream-broke-token-${SECRET}`), phase: "failed", summary: /HTTP 500/, hint: "server_error" },
  { name: "503 on every retry", arrange: custom("fault=503"), phase: "failed", summary: /HTTP 503/, hint: "server_error" },
  // A proxy's page: the proxy gave up, the provider may still have run it; streaming is the fix.
  { name: "an HTML error page", arrange: custom("fault=html:502"), phase: "failed", summary: /gave up waiting \(HTTP 502\)/, hint: "gateway_timeout", fix: "enableStreaming" },
  { name: "a relay that gives up after a delay", arrange: custom("fault=relay-524,latency=1500"), phase: "failed", summary: /gave up waiting \(HTTP 524\)/, hint: "gateway_timeout", fix: "enableStreaming" },
  { name: "truncated JSON", arrange: custom("fault=truncated"), phase: "failed", summary: /answer/i, hint: "invalid_response" },
  { name: "an answer over the size cap", arrange: custom("fault=huge:70000000"), phase: "failed", summary: /large|size|bytes/i, hint: "payload_too_large" },
  { name: "a connection reset", arrange: custom("fault=reset"), phase: "failed", summary: /connection to the endpoint broke/, hint: "gateway_timeout", fix: "enableStreaming" },
  { name: "no images", arrange: custom("fault=empty-data"), phase: "failed", summary: /without any image/, hint: "invalid_response" },
  { name: "an insecure image URL", arrange: custom("fault=insecure-url"), phase: "failed", summary: /not https/, hint: "invalid_response" },
  { name: "a redirect", arrange: custom("fault=redirect:elsewhere"), phase: "failed", summary: /redirected/, hint: "invalid_response" },
  {
    name: "a refused connection",
    arrange: async (page) => setBaseUrl(page, `http://127.0.0.1:${await closedPort()}/v1`),
    phase: "failed",
    summary: /could not be reached/,
    hint: "network",
    fix: "openSettings",
  },
  {
    // invalid_config never reaches the native side: the panel refuses the URL first.
    name: "a base URL the panel refuses",
    arrange: (page) => setBaseUrl(page, "http://images.example.com/v1", { refusedWith: "Plain http is only allowed" }),
    phase: "failed",
    summary: new RegExp(english("failure.customInvalid").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
    hint: { reason: "customInvalid" },
    fix: "openSettings",
  },
  {
    // Last: it lowers the timeout to the minimum (10 s) and waits it out.
    name: "a slow drip past the timeout",
    arrange: async (page, harness) => {
      await setNumberSetting(page, "Timeout (seconds)", "10");
      await setBaseUrl(page, harness.fakeUrl("fault=drip:1000"));
    },
    phase: "timedOut",
    summary: /No answer within 10 s|timed out|time limit/i,
    hint: "timeout",
    fix: "openSettings",
  },
];

// The managed path: native/devhost's stand-in (queued faults, session) and the dev page's bridge.
const MANAGED: Fault[] = [
  { name: "upstream 500 with a secret", arrange: managed(`status:500:upstream-broke-token-${SECRET}`), phase: "failed", summary: /HTTP 500/, hint: "server_error" },
  // A bad server-side token is the host's failure, not the user's session (src/adapters/managedGateway.ts).
  { name: "upstream 401", arrange: managed(`status:401:incorrect-key-${SECRET}`), phase: "failed", summary: /HTTP 401/, hint: "server_error" },
  // The first try and the two default retries are all refused.
  { name: "upstream 429 on every retry", arrange: managed("rate-limit:1", "rate-limit:1", "rate-limit:1"), phase: "failed", summary: /HTTP 429/, hint: "rate_limited" },
  { name: "upstream answer that is not JSON", arrange: managed("truncated"), phase: "failed", summary: /other than JSON/, hint: "server_error" },
  { name: "upstream answer without images", arrange: managed("empty-data"), phase: "failed", summary: /without any image/, hint: "invalid_response" },
  {
    name: "host bridge missing",
    arrange: async (page) => {
      await setHostBridge(page, "Missing");
      // The panel probes the bridge every few seconds; the request goes once it has noticed.
      await expect.poll(() => page.getByTestId("gateway-reason").innerText()).toBe(english("reason.hostUnavailable"));
    },
    phase: "failed",
    summary: new RegExp(english("failure.hostUnavailable").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
    hint: { reason: "hostUnavailable" },
    fix: "useCustomEndpoint",
    restore: restoreBridge,
  },
  { name: "host bridge throws", arrange: (page) => setHostBridge(page, "Throws"), phase: "failed", summary: /Cannot read properties/, hint: "server_error", restore: restoreBridge },
  { name: "host returns malformed data", arrange: (page) => setHostBridge(page, "Malformed answers"), phase: "failed", summary: /unexpected format/, hint: "invalid_response", restore: restoreBridge },
  { name: "signed out", arrange: (page) => setSession(page, "Signed out"), phase: "failed", summary: /signed out/, hint: "signed_out", restore: signInAgain },
  {
    name: "signed out mid-request",
    arrange: managed("latency=4000"),
    during: async (page) => {
      await expect.poll(() => newest(page).getAttribute("data-phase")).toBe("requesting");
      await setSession(page, "Signed out");
    },
    phase: "failed",
    summary: /signed out/,
    hint: "signed_out",
    restore: signInAgain,
  },
];

const newest = (page: Page) => page.getByTestId("request").first();

async function setNumberSetting(page: Page, name: string, value: string) {
  await page.getByRole("button", { name: "Open settings" }).first().click();
  // Number settings are text fields (numeric keyboard) so they keep whatever was typed.
  await page.getByRole("textbox", { name }).fill(value);
  await page.getByRole("textbox", { name }).blur();
  await expect.poll(() => page.getByTestId("settings-saved").innerText()).toBe("Saved.");
  await page.getByRole("button", { name: "Close settings" }).click();
}

const storedBaseUrl = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem("hfmig.settings.v2") ?? "{}") as { profiles?: { baseUrl?: string }[] }).profiles?.[0]?.baseUrl);
const galleryCount = (page: Page) => page.getByTestId("gallery-image").count();

/** Submits the fault's request and checks the card, then that nothing else was lost. */
async function runFault(page: Page, harness: Harness, fault: Fault) {
  await fault.arrange(page, harness);
  const baseUrl = await storedBaseUrl(page);
  const images = await galleryCount(page);
  const cards = await page.getByTestId("request").count();
  const prompt = `${PROMPT} [${fault.name}]`;
  await generate(page, prompt);
  await expect.poll(() => page.getByTestId("request").count(), { message: fault.name }).toBe(cards + 1);
  await fault.during?.(page);
  await expect.poll(() => newest(page).getAttribute("data-phase"), { timeout: 30_000, message: fault.name }).toBe(fault.phase);

  const card = newest(page);
  // One sentence, at most one action, and the gateway's own words only as the quoted detail.
  const said = [await card.getByTestId("error-summary").innerText(), ...(await card.getByTestId("error-hint").allInnerTexts()), ...(await card.getByTestId("error-detail").allInnerTexts())].join(" ");
  expect(said, fault.name).toMatch(fault.summary);
  expect(said, `${fault.name}: the secret in the card`).not.toContain(SECRET);
  expect(said, `${fault.name}: the prompt in the card`).not.toContain(PROMPT);
  const hint = typeof fault.hint === "string" ? english(`hint.${fault.hint}` as MessageKey) : "";
  if (hint && !fault.fix) expect(await card.getByTestId("error-hint").innerText(), fault.name).toContain(hint);
  // A setting's hint is itself the button that opens settings; other fixes are named by their label.
  const fixLabel = fault.fix === "openSettings" && hint ? hint : fault.fix && english(`fix.${fault.fix}` as MessageKey);
  expect(await card.getByTestId("error-fix").allInnerTexts(), `${fault.name}: the fix button`).toEqual(fixLabel ? [fixLabel] : []);

  expect(await page.getByTestId("prompt").inputValue(), `${fault.name}: the draft`).toBe(prompt);
  expect(await storedBaseUrl(page), `${fault.name}: the base URL`).toBe(baseUrl);
  expect(await galleryCount(page), `${fault.name}: images already received`).toBe(images);
  await fault.restore?.(page);
}

/** History records (IndexedDB) whose prompt contains `text`, with their status. */
async function historyWith(page: Page, text: string) {
  const { indexedDB } = JSON.parse(await dumpStorage(page)) as { indexedDB: Record<string, Record<string, { prompt: string; status: string }[]>> };
  return (indexedDB["hfmig-history"]?.requests ?? []).filter((record) => record.prompt.includes(text)).map((record) => record.status);
}

const harness = useHarness();

it("ends every native fault in a typed, redacted error with its fix, and keeps draft, settings, history and images", async () => {
  const { page } = await openPanel(harness());
  await setBaseUrl(page, harness().fakeUrl());
  await chooseMode(page, "Custom endpoint");
  await generate(page, FIRST_PROMPT);
  await expect.poll(() => newest(page).getAttribute("data-phase")).toBe("succeeded");

  for (const fault of NATIVE) await runFault(page, harness(), fault);

  expect(await galleryCount(page)).toBeGreaterThan(0);
  expect(await historyWith(page, FIRST_PROMPT)).toEqual(["succeeded"]);
  await expect.poll(async () => (await historyWith(page, PROMPT)).length).toBe(NATIVE.length);
  await page.close();
}, 240_000);

it("ends every managed-path fault in a typed, redacted error with its fix, keeping a partial answer's images", async () => {
  const { page } = await openPanel(harness());
  await setSession(page, "HaloForge Cloud");
  await setBaseUrl(page, harness().fakeUrl());
  await chooseMode(page, "HaloForge Cloud");

  // n = 2, of which the gateway answers one: the image that arrived is kept and shown.
  await page.getByRole("spinbutton", { name: "Images" }).fill("2");
  await queueManagedFault(page, "partial:1");
  await generate(page, FIRST_PROMPT);
  await expect.poll(() => newest(page).getAttribute("data-phase")).toBe("partiallySucceeded");
  expect(await newest(page).locator(".hfmig-thumbs img").count()).toBe(1);
  await expect.poll(() => galleryCount(page)).toBe(1);

  for (const fault of MANAGED) await runFault(page, harness(), fault);
  await page.getByRole("spinbutton", { name: "Images" }).fill("1");
  await generate(page, `${PROMPT} [after the faults]`);
  await expect.poll(() => newest(page).getAttribute("data-phase")).toBe("succeeded");

  expect(await page.getByTestId("request").filter({ hasText: FIRST_PROMPT }).getAttribute("data-phase")).toBe("partiallySucceeded");
  expect(await historyWith(page, FIRST_PROMPT)).toEqual(["partiallySucceeded"]);
  await expect.poll(async () => (await historyWith(page, PROMPT)).length).toBe(MANAGED.length + 1);
  await page.close();
}, 240_000);
