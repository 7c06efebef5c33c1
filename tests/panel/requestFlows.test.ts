// @vitest-environment jsdom

import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it, vi } from "vitest";
import PanelRoot from "../../src/app/PanelRoot.vue";
import { memoryHistory } from "../../src/history/historyBackend.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import { englishIn } from "./englishIn.ts";
import { recordFromInput, type HistoryRecord } from "../../src/history/historyRecord.ts";
import type { GatewayCallEvent, GatewayFailure, RequestInput } from "../../machines/index.ts";
import { useFakeHost } from "./fakeHost.ts";
import { mockIPC } from "@tauri-apps/api/mocks";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const failed = (failure: GatewayFailure): GatewayCallEvent[] => [{ type: "gateway.failed", failure }];
const image: GatewayCallEvent = { type: "gateway.output", output: { src: new Blob([Buffer.from(PNG, "base64")], { type: "image/png" }) } };

useFakeHost();

/** The panel on a scripted gateway: each call takes the next answer (or waits for `release`). */
function mountWith(answers: (GatewayCallEvent[] | "hang")[], locale: "en" | "zh" = "en", recorded: HistoryRecord[] = []) {
  const calls: RequestInput[] = [];
  const environment = testEnvironment({
    locale,
    flavour: "development",
    historyBackend: () => memoryHistory(recorded),
    objectUrls: { create: (blob) => `blob:${blob.size}`, revoke: () => undefined },
    mock: (input, signal) => {
      calls.push(input);
      const answer = answers.shift() ?? [image, { type: "gateway.done" }];
      if (answer !== "hang") return Promise.resolve(answer);
      return new Promise((resolve) => signal.addEventListener("abort", () => resolve([])));
    },
  });
  const wrapper = mount(PanelRoot, { global: { plugins: [createPinia(), panelEnvironment(environment)] }, attachTo: document.body });
  const generate = async (prompt: string) => {
    await wrapper.get('[data-testid="prompt"]').setValue(prompt);
    await wrapper.get('[data-testid="generate"]').trigger("click");
    await flushPromises();
  };
  return { wrapper, calls, generate };
}

describe("request state in the panel", () => {
  it("shows a 429 as a retry with its countdown, and cancels while waiting", async () => {
    const { wrapper, calls, generate } = mountWith([failed({ code: "rate_limited", status: 429, retryAfterMs: 12_000, message: "Rate limit reached", mayHaveRun: false })]);
    await generate("a busy provider");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("waitingRetry"));
    const countdown = () => wrapper.get('[data-testid="retry-countdown"]').text();
    expect(countdown()).toMatch(/^attempt 2 of 3 in 1[12]\.\d s$/);
    // It ticks in tenths while the request waits, and so does the elapsed time and the wait's span.
    const before = countdown();
    await vi.waitFor(() => expect(countdown()).not.toBe(before), { timeout: 1_000 });
    const phases = wrapper.get('[data-testid="phases"]').text();
    expect(phases).toMatch(/^Queued \d\.\d s\s*Choosing gateway \d\.\d s\s*Attempt 1 \d\.\d s\s*Waiting to retry \d\.\d s$/);
    await vi.waitFor(() => expect(wrapper.get(".hfmig-request-head").text()).not.toMatch(/0\.0 s$/), { timeout: 1_000 });
    await wrapper.get('[data-testid="cancel"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("cancelled");
    expect(calls).toHaveLength(1);
    wrapper.unmount();
  });

  it("explains a 401 with the fix, which opens settings, and never retries it by itself", async () => {
    const { wrapper, calls, generate } = mountWith([failed({ code: "unauthorized", status: 401, message: "Incorrect API key provided: sk-abc…xyz", mayHaveRun: false })]);
    await generate("needs a key");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("failed"));
    expect(wrapper.get('[data-testid="error-hint"]').text()).toContain("Check the API key in settings.");
    expect(calls).toHaveLength(1);
    await wrapper.get('[data-testid="error-fix"]').trigger("click");
    expect(wrapper.find('[data-testid="settings"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it("cancels a running request, keeps the images that arrived, and retries as a new request", async () => {
    const { wrapper, calls, generate } = mountWith(["hang"]);
    await generate("slow one");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("requesting"));
    await wrapper.get('[data-testid="cancel"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("cancelled");
    await wrapper.get('[data-testid="retry"]').trigger("click");
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="gallery-image"]')).toHaveLength(1));
    const requests = wrapper.findAll('[data-testid="request"]');
    expect(requests.map((request) => request.attributes("data-phase"))).toEqual(["succeeded", "cancelled"]);
    expect(calls.map((call) => call.prompt)).toEqual(["slow one", "slow one"]);
    wrapper.unmount();
  });

  it("keeps the results of n > 1 that arrived when the rest failed", async () => {
    const { wrapper, generate } = mountWith([[image, ...failed({ code: "server_error", status: 502, message: "Bad gateway", mayHaveRun: true })]]);
    await wrapper.get('[data-testid="prompt"]').setValue("two of them");
    const count = wrapper.get('input[type="number"]');
    await count.setValue(2);
    await generate("two of them");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("partiallySucceeded"));
    expect(wrapper.findAll('[data-testid="gallery-image"]')).toHaveLength(1);
    expect(wrapper.get('[data-testid="result-partial"]').text()).toBe("1 of 2 images. The provider failed (HTTP 502).");
    wrapper.unmount();
  });

  it("holds a placeholder for each image on its way, grouped under the request's prompt and gateway", async () => {
    const { wrapper, generate } = mountWith(["hang"]);
    await wrapper.get('[data-testid="count"]').setValue(3);
    await generate("three boats");
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="result-placeholder"]')).toHaveLength(3));
    expect(wrapper.findAll('[data-testid="result-placeholder"]').map((placeholder) => placeholder.text())).toEqual([
      "Image 1 of 3 on its way…",
      "Image 2 of 3 on its way…",
      "Image 3 of 3 on its way…",
    ]);
    const group = wrapper.get('[data-testid="result-group"]');
    expect(group.text()).toContain("three boats");
    expect(group.text()).toContain("Mock gateway");
    expect(wrapper.text()).not.toContain("Images you generate appear here.");
    await wrapper.get('[data-testid="cancel"]').trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-testid="result-placeholder"]')).toHaveLength(0);
    wrapper.unmount();
  });

  it("shows results newest first, brings them back from history after a reload, and keeps them when a card is removed", async () => {
    const earlier = { ...recordFromInput("r-old", 1_000, { operation: "generate", prompt: "an earlier session", model: "gpt-image-2", size: "auto", n: 2 })!, status: "succeeded" as const, images: [new Blob([new Uint8Array(7)])] };
    const { wrapper, calls, generate } = mountWith([], "en", [earlier]);
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="result-group"]')).toHaveLength(1));
    expect(wrapper.get('[data-testid="result-group"]').text()).toContain("an earlier session");
    expect(wrapper.get('[data-testid="result-partial"]').text()).toBe("1 of 2 images.");
    await generate("this session");
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="result-group"]')).toHaveLength(2));
    const prompts = () => wrapper.findAll('[data-testid="result-group"] .hfmig-prompt-preview').map((preview) => preview.text());
    expect(prompts()).toEqual(["this session", "an earlier session"]);
    await vi.waitFor(() => expect(wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("succeeded"));
    await wrapper.get(".hfmig-request-actions .hfmig-icon-button").trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-testid="request"]')).toHaveLength(0);
    expect(prompts()).toEqual(["this session", "an earlier session"]);
    // The viewer says what the image is: prompt, model, size, gateway and time.
    await wrapper.findAll('[data-testid="result-group"]')[1]!.get(".hfmig-thumb").trigger("click");
    const details = wrapper.get('[data-testid="viewer-details"]').text();
    expect(details).toContain("an earlier session");
    expect(details).toContain("gpt-image-2 · Auto");
    // Its icon buttons show their names as tooltips, like every other icon button.
    const toolbar = wrapper.findAll('[data-testid="viewer"] .hfmig-toolbar button');
    expect(toolbar.length).toBe(6);
    for (const button of toolbar) expect(button.attributes("title")).toBe(button.attributes("aria-label"));
    // Re-run puts the image's prompt and options into the composer; nothing is sent until Generate.
    const sent = calls.length;
    await wrapper.get('[data-testid="viewer-rerun"]').trigger("click");
    expect(wrapper.find('[data-testid="viewer"]').exists()).toBe(false);
    expect((wrapper.get('[data-testid="prompt"]').element as HTMLTextAreaElement).value).toBe("an earlier session");
    expect((wrapper.get('[data-testid="size"]').element as HTMLSelectElement).value).toBe("auto");
    expect(calls).toHaveLength(sent);
    wrapper.unmount();
  });

  it("says how long a request with the same model, size and quality usually takes, from three earlier ones", async () => {
    const earlier = (id: string, elapsedMs: number, size = "1024x1024"): HistoryRecord => ({
      ...recordFromInput(id, 1_000, { operation: "generate", prompt: "earlier", model: "gpt-image-2", size, n: 1 }),
      status: "succeeded",
      elapsedMs,
    });
    const { wrapper, generate } = mountWith(["hang", "hang"], "en", [earlier("a", 20_000), earlier("b", 24_000), earlier("c", 31_000), earlier("d", 1_000, "1536x1024")]);
    await flushPromises();
    await generate("a slow one");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="usual"]').text()).toBe("usually about 24 s"));
    wrapper.unmount();

    const fewer = mountWith(["hang"], "en", [earlier("a", 20_000), earlier("b", 24_000)]);
    await flushPromises();
    await fewer.generate("too few samples");
    await vi.waitFor(() => expect(fewer.wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("requesting"));
    expect(fewer.wrapper.find('[data-testid="usual"]').exists()).toBe(false);
    fewer.wrapper.unmount();
  });

  it("says a usual duration under a second as such, never about 0 s, in English and Chinese", async () => {
    const quick = (id: string): HistoryRecord => ({
      ...recordFromInput(id, 1_000, { operation: "generate", prompt: "earlier", model: "gpt-image-2", size: "1024x1024", n: 1 }),
      status: "succeeded",
      elapsedMs: 400,
    });
    for (const [locale, text] of [["en", "usually under a second"], ["zh", "通常不到 1 秒"]] as const) {
      const { wrapper, generate } = mountWith(["hang"], locale, [quick("a"), quick("b"), quick("c")]);
      await flushPromises();
      await generate("a quick one");
      await vi.waitFor(() => expect(wrapper.get('[data-testid="usual"]').text()).toBe(text));
      wrapper.unmount();
    }
  });

  it("shows the viewer's model line and its token line apart", async () => {
    const earlier = {
      ...recordFromInput("r-used", 1_000, { operation: "generate", prompt: "with usage", model: "gpt-image-2", size: "auto", quality: "high", n: 1 })!,
      status: "succeeded" as const,
      images: [new Blob([new Uint8Array(7)])],
      usage: { input_tokens: 12, output_tokens: 345 },
    };
    for (const [locale, model, usage] of [["en", "gpt-image-2 · Auto · High", /^Tokens: 12 in · 345 out/], ["zh", "gpt-image-2 · 自动 · 高", /^令牌：输入 12 · 输出 345/]] as const) {
      const { wrapper } = mountWith([], locale, [earlier]);
      await vi.waitFor(() => expect(wrapper.findAll('[data-testid="result-group"]')).toHaveLength(1));
      await wrapper.get(".hfmig-thumb").trigger("click");
      const rows = wrapper.findAll('[data-testid="viewer-details"] dd').map((row) => row.text());
      expect(rows).toContain(model);
      expect(rows.find((row) => usage.test(row))).toBeDefined();
      wrapper.unmount();
    }
  });

  it("shows exactly the log records written for a request, and copies them for a support ticket", async () => {
    const written: unknown[] = [];
    mockIPC((command, args) => {
      if (command === "frontend_log_event") written.push((args as { details: unknown }).details);
      return { ok: true, apiKeySet: false };
    });
    const copied: string[] = [];
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText: async (text: string) => void copied.push(text) } });
    const { wrapper, generate } = mountWith([]);
    await generate("a logged request");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("succeeded"));
    await vi.waitFor(() => expect(written).toHaveLength(2));
    const details = wrapper.get('[data-testid="diagnostics"]');
    (details.element as HTMLDetailsElement).open = true;
    await details.trigger("toggle");
    const lines = details.get("pre").text().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual(written);
    expect(lines.map((line) => line.event)).toEqual(["started", "succeeded"]);
    expect(details.text()).not.toContain("a logged request");
    await details.get('[data-testid="copy-diagnostics"]').trigger("click");
    expect(copied).toEqual([details.get("pre").text()]);
    wrapper.unmount();
  });

  it("keeps a running request on its gateway when the mode changes, and says why the new mode is unusable", async () => {
    const { wrapper, generate } = mountWith(["hang"]);
    await generate("started on the mock");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("requesting"));
    await wrapper.findAll('[data-testid="gateway-bar"] [role="radio"]').find((radio) => radio.text() === "Custom endpoint")!.trigger("click");
    expect(wrapper.get('[data-testid="gateway-reason"]').text()).toBe("The custom endpoint has no base URL yet.");
    const request = wrapper.get('[data-testid="request"]');
    expect(request.attributes("data-phase")).toBe("requesting");
    expect(request.text()).toContain("Mock gateway");
    await request.get('[data-testid="cancel"]').trigger("click");
    wrapper.unmount();
  });

  it("says in the card why no gateway could take the request, with the fix", async () => {
    localStorage.setItem("hfmig.settings.v1", JSON.stringify({ mode: "custom" }));
    const { wrapper, calls, generate } = mountWith([]);
    await generate("nowhere to go");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="request"]').attributes("data-phase")).toBe("failed"));
    expect(wrapper.get('[data-testid="error-summary"]').text()).toBe("The custom endpoint has no base URL yet.");
    await wrapper.get('[data-testid="request"] [data-testid="error-fix"]').trigger("click");
    expect(wrapper.find('[data-testid="settings"]').exists()).toBe(true);
    expect(calls).toHaveLength(0);
    wrapper.unmount();
  });
});

describe("failures said once, in the panel's language", () => {
  const faults: GatewayFailure[] = [
    { code: "unauthorized", status: 401, message: "The endpoint did not accept the API key (HTTP 401): Incorrect API key provided", providerText: "Incorrect API key provided", mayHaveRun: false },
    { code: "rate_limited", status: 429, retryAfterMs: 300_000, message: "The endpoint is rate limiting requests (HTTP 429): Rate limit reached for requests", providerText: "Rate limit reached for requests", mayHaveRun: false },
    { code: "server_error", status: 500, message: "The endpoint failed (HTTP 500): The server had an error while processing your request", providerText: "The server had an error while processing your request", mayHaveRun: true },
  ];

  it("words each failure from its code, status and Retry-After, with one action, and quotes the gateway's words only as a detail", async () => {
    const { wrapper, generate } = mountWith(faults.map(failed));
    for (const [index] of faults.entries()) await generate(`request ${index}`);
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="request"][data-phase="failed"]')).toHaveLength(3));
    const cards = wrapper.findAll('[data-testid="request"]');
    const said = cards.map((card) => [card.get('[data-testid="error-summary"]').text(), card.get('[data-testid="error-hint"]').text(), card.get('[data-testid="error-detail"] q').text()]);
    expect(said).toEqual(
      expect.arrayContaining([
        ["The provider refused the API key.", "Check the API key in settings.", "Incorrect API key provided"],
        ["The provider is limiting requests and asked to wait 300 s.", "Try again in a moment.", "Rate limit reached for requests"],
        ["The provider failed (HTTP 500).", "Retry in a moment.", "The server had an error while processing your request"],
      ]),
    );
    wrapper.unmount();
  });

  it("leaves no English in the Chinese panel outside the gateway's quoted words", async () => {
    const { wrapper, generate } = mountWith(faults.map(failed), "zh");
    const prompts = faults.map((_, index) => `提示 ${index}`);
    for (const prompt of prompts) await generate(prompt);
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="request"][data-phase="failed"]')).toHaveLength(3));
    expect(wrapper.findAll('[data-testid="error-summary"]').map((summary) => summary.text())).toEqual(
      expect.arrayContaining(["服务商拒绝了此 API 密钥。", "服务商正在限制请求频率，要求等待 300 秒。", "服务商出错（HTTP 500）。"]),
    );
    expect(englishIn(wrapper.element, prompts)).toEqual([]);
    wrapper.unmount();
  });
});

describe("the composer's per-model options", () => {
  it("offers only what the model takes, sends only that, and keeps the other choice in the draft", async () => {
    const { wrapper, calls, generate } = mountWith([]);
    const offered = (testId: string) => wrapper.findAll(`[data-testid="${testId}"] option`).map((option) => option.text());
    // Until the first paint each select lists only its chosen option; the others follow it.
    expect(offered("quality")).toEqual(["Default"]);
    await flushPromises();
    // A new user starts on gpt-image-2, which has no transparent background.
    expect((wrapper.get('input[list="hfmig-models"]').element as HTMLInputElement).value).toBe("gpt-image-2");
    expect(wrapper.findAll("#hfmig-models option").map((option) => option.attributes("value"))).toEqual([
      "gpt-image-2", "gpt-image-1.5", "gpt-image-1", "gpt-image-1-mini", "chatgpt-image-latest", "dall-e-3", "dall-e-2",
    ]);
    expect(offered("quality")).toEqual(["Default", "Auto", "Low", "Medium", "High"]);
    expect(offered("background")).toEqual(["Default", "Auto", "Opaque"]);
    await wrapper.get('[data-testid="quality"]').setValue("high");
    await wrapper.get('[data-testid="format"]').setValue("webp");

    await wrapper.get('input[list="hfmig-models"]').setValue("dall-e-3");
    expect(offered("quality")).toEqual(["Default", "Standard", "HD"]);
    expect(wrapper.find('[data-testid="format"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="background"]').exists()).toBe(false);
    await wrapper.get('[data-testid="count"]').setValue(3);
    expect(wrapper.get('[data-testid="count-error"]').text()).toBe("Images: dall-e-3 makes at most 1 image per request");
    await wrapper.get('[data-testid="count"]').setValue(1);
    await generate("a lighthouse");
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ model: "dall-e-3", n: 1 });
    expect(calls[0]).not.toHaveProperty("quality");
    expect(calls[0]).not.toHaveProperty("outputFormat");

    await wrapper.get('input[list="hfmig-models"]').setValue("gpt-image-1");
    expect((wrapper.get('[data-testid="quality"]').element as HTMLSelectElement).value).toBe("high");
    await generate("a lighthouse again");
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject({ model: "gpt-image-1", quality: "high", outputFormat: "webp" });
  });

  it("offers a transparent background where the model has one, and input fidelity on edits except with gpt-image-1-mini", async () => {
    const { wrapper, calls, generate } = mountWith([]);
    const offered = (testId: string) => wrapper.findAll(`[data-testid="${testId}"] option`).map((option) => option.text());
    await wrapper.get('input[list="hfmig-models"]').setValue("gpt-image-1.5");
    expect(offered("background")).toEqual(["Default", "Auto", "Transparent", "Opaque"]);
    await wrapper.get('[data-testid="background"]').setValue("transparent");
    expect(wrapper.find('[data-testid="input-fidelity"]').exists()).toBe(false);
    await wrapper.get('[data-testid="mode-edit"]').trigger("click");
    expect(offered("input-fidelity")).toEqual(["Default", "High", "Low"]);
    await wrapper.get('input[list="hfmig-models"]').setValue("gpt-image-1-mini");
    expect(wrapper.find('[data-testid="input-fidelity"]').exists()).toBe(false);
    await wrapper.get('[data-testid="mode-generate"]').trigger("click");
    await generate("a glass");
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ model: "gpt-image-1-mini", background: "transparent" });
    // A name this panel does not know is sent as typed, with no option refused.
    await wrapper.get('input[list="hfmig-models"]').setValue("gpt-image-2.5-flare");
    await generate("a glass again");
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject({ model: "gpt-image-2.5-flare", background: "transparent" });
  });
});
