// @vitest-environment jsdom
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { callCustomEndpoint } from "../../src/adapters/customGateway.ts";
import { callManagedGateway } from "../../src/adapters/managedGateway.ts";
import { saveThroughHost } from "../../src/adapters/imageFile.ts";
import { blobToBase64 } from "../../src/history/historyRecord.ts";
import { OPENAI_FIELDS, type EndpointDescription, type RequestInput } from "../../machines/index.ts";
import { TEST_ENDPOINT } from "./testEndpoint.ts";
import { presetOf } from "../../src/profiles/presets.ts";

const input: RequestInput = { operation: "generate", prompt: "a lighthouse", model: "gpt-image-1", size: "1024x1024", n: 2, outputFormat: "png", outputCompression: 80 };
const config: EndpointDescription = TEST_ENDPOINT;
const B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

beforeEach(() => registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({})));
afterEach(() => {
  clearMocks();
  delete window.__HALOFORGE_PLUGIN_HOST__;
});

function nativeAnswers(answer: unknown) {
  const calls: { cmd: string; payload: unknown }[] = [];
  mockIPC((cmd, payload) => {
    calls.push({ cmd, payload });
    return answer;
  });
  return calls;
}

describe("custom endpoint adapter", () => {
  it("sends the native command with the request ID and an OpenAI-shaped request, never response_format", async () => {
    const calls = nativeAnswers({ ok: true, requestId: "r-1", providerRequestId: "req_9", result: { data: [{ b64_json: B64 }, { url: "https://cdn.example.com/2.png" }] } });
    const events = await callCustomEndpoint("r-1", input, config);
    expect(calls[0]).toEqual({
      cmd: "plugin_invoke",
      payload: {
        args: {
          wire_name: "plugin_dev_haloforge_managed_image_gateway_generate_images",
          args: {
            requestId: "r-1",
            endpoint: { profileId: "default", baseUrl: "https://api.example.com/v1", dialect: "images", auth: "bearer", editUpload: "multipart", allowInsecureHttp: false },
            request: { model: "gpt-image-1", prompt: "a lighthouse", size: "1024x1024", n: 2, output_format: "png" },
            timeoutMs: 300_000,
          },
        },
      },
    });
    // The base64 becomes bytes once: the event holds a Blob, never the answer's text or a data URL.
    expect(events).toEqual([
      { type: "gateway.output", output: { src: expect.any(Blob) } },
      { type: "gateway.output", output: { src: "https://cdn.example.com/2.png" } },
      { type: "gateway.done", providerRequestId: "req_9" },
    ]);
    const image = (events[0] as { output: { src: Blob } }).output.src;
    expect(image.type).toBe("image/png");
    expect(await blobToBase64(image)).toBe(B64);
  });

  it("sends background and input fidelity under their OpenAI names, fidelity with edits only", async () => {
    const calls = nativeAnswers({ ok: true, requestId: "r-2", result: { data: [{ b64_json: B64 }] } });
    const png = { fileName: "ref.png", contentType: "image/png", blob: new Blob([Buffer.from(B64, "base64")], { type: "image/png" }) };
    await callCustomEndpoint("r-2", { ...input, model: "gpt-image-1.5", background: "transparent" }, config);
    await callCustomEndpoint("r-3", { ...input, operation: "edit", model: "gpt-image-1.5", background: "opaque", inputFidelity: "high", images: [png] }, config);
    const requestOf = (index: number) => (calls[index]!.payload as { args: { args: { request: Record<string, unknown> } } }).args.args.request;
    expect(requestOf(0)).toMatchObject({ model: "gpt-image-1.5", background: "transparent" });
    expect(requestOf(0)).not.toHaveProperty("input_fidelity");
    expect(requestOf(1)).toMatchObject({ background: "opaque", input_fidelity: "high" });
    // The reference leaves as base64 only here, at the IPC edge.
    expect(requestOf(1).images).toEqual([{ field_name: "image[]", file_name: "ref.png", content_type: "image/png", b64_json: B64 }]);
  });

  it("sends the profile's endpoint fields and never a field its provider refuses", async () => {
    const calls = nativeAnswers({ ok: true, requestId: "r-5", result: { data: [{ b64_json: B64 }] } });
    const azure: EndpointDescription = {
      ...config,
      profileId: "az",
      dialect: "azure",
      auth: "api-key",
      deployment: "img",
      apiVersion: "2025-04-01-preview",
      editUpload: "json",
      extraHeaders: { "X-Team": "art" },
      fields: { ...OPENAI_FIELDS, quality: false, outputFormat: false, background: false },
    };
    await callCustomEndpoint("r-5", { ...input, quality: "high", background: "opaque" }, azure);
    const args = (calls[0]!.payload as { args: { args: { endpoint: unknown; request: Record<string, unknown> } } }).args.args;
    expect(args.endpoint).toEqual({ profileId: "az", baseUrl: "https://api.example.com/v1", dialect: "azure", auth: "api-key", deployment: "img", apiVersion: "2025-04-01-preview", editUpload: "json", allowInsecureHttp: false, extraHeaders: { "X-Team": "art" } });
    expect(args.request).toEqual({ model: "gpt-image-1", prompt: "a lighthouse", size: "1024x1024", n: 2 });
  });

  it("sends a ratio size under the provider's names: xAI's aspect_ratio and resolution, never size", async () => {
    const calls = nativeAnswers({ ok: true, requestId: "r-6", result: { data: [{ b64_json: B64 }] } });
    const xai: EndpointDescription = { ...config, fields: presetOf("xai").fields };
    const grok = { ...input, model: "grok-imagine-image", outputFormat: undefined, outputCompression: undefined };
    await callCustomEndpoint("r-6", { ...grok, size: "16:9 2k" }, xai);
    await callCustomEndpoint("r-7", { ...grok, size: "auto" }, xai);
    const requestOf = (index: number) => (calls[index]!.payload as { args: { args: { request: Record<string, unknown> } } }).args.args.request;
    expect(requestOf(0)).toEqual({ model: "grok-imagine-image", prompt: "a lighthouse", n: 2, aspect_ratio: "16:9", resolution: "2k" });
    // Auto leaves the ratio to the provider: neither field goes out.
    expect(requestOf(1)).toEqual({ model: "grok-imagine-image", prompt: "a lighthouse", n: 2 });
    // A WxH size (a compare column) goes as its exact ratio; a shape the provider has no term for
    // is refused here, nothing sent.
    await callCustomEndpoint("r-8", { ...grok, size: "1024x1024" }, xai);
    expect(requestOf(2)).toEqual({ model: "grok-imagine-image", prompt: "a lighthouse", n: 2, aspect_ratio: "1:1", resolution: "1k" });
    const events = await callCustomEndpoint("r-9", { ...grok, size: "1792x1024" }, xai);
    expect(events).toEqual([{ type: "gateway.failed", failure: expect.objectContaining({ code: "unsupported_option", providerText: "size", mayHaveRun: false }) }]);
    expect(calls).toHaveLength(3);
  });

  it("gives OpenRouter's Gemini image models their ratio and resolution, and other models there no size", async () => {
    const calls = nativeAnswers({ ok: true, requestId: "r-9", result: { data: [{ b64_json: B64 }] } });
    const openrouter: EndpointDescription = { ...config, dialect: "chat", fields: presetOf("openrouter").fields };
    const base = { operation: "generate" as const, prompt: "a lighthouse", n: 1 };
    await callCustomEndpoint("r-9", { ...base, model: "google/gemini-2.5-flash-image", size: "21:9 4K" }, openrouter);
    await callCustomEndpoint("r-10", { ...base, model: "openai/gpt-5-image-mini", size: "1024x1024" }, openrouter);
    const requestOf = (index: number) => (calls[index]!.payload as { args: { args: { request: Record<string, unknown> } } }).args.args.request;
    expect(requestOf(0)).toEqual({ model: "google/gemini-2.5-flash-image", prompt: "a lighthouse", n: 1, aspect_ratio: "21:9", resolution: "4K" });
    expect(requestOf(1)).toEqual({ model: "openai/gpt-5-image-mini", prompt: "a lighthouse", n: 1 });
  });

  it("sends a seed and a negative prompt to a provider that takes them, and never to one that does not", async () => {
    const calls = nativeAnswers({ ok: true, requestId: "r-11", result: { data: [{ b64_json: B64 }] } });
    const extras = { ...input, outputFormat: undefined, outputCompression: undefined, seed: 42, negativePrompt: "blur" };
    await callCustomEndpoint("r-11", extras, { ...config, dialect: "siliconflow", fields: presetOf("siliconflow").fields });
    await callCustomEndpoint("r-12", extras, { ...config, fields: presetOf("volcengine-ark").fields });
    await callCustomEndpoint("r-13", extras, config);
    const requestOf = (index: number) => (calls[index]!.payload as { args: { args: { request: Record<string, unknown> } } }).args.args.request;
    expect(requestOf(0)).toMatchObject({ seed: 42, negative_prompt: "blur" });
    expect(requestOf(1)).toMatchObject({ seed: 42 });
    expect(requestOf(1)).not.toHaveProperty("negative_prompt");
    expect(requestOf(2)).not.toHaveProperty("seed");
    expect(requestOf(2)).not.toHaveProperty("negative_prompt");
  });

  it("fails an edit whose reference cannot be read as not sent, without calling the backend", async () => {
    const calls = nativeAnswers({ ok: true, requestId: "r-4", result: { data: [{ b64_json: B64 }] } });
    const images = [{ fileName: "gone.png", contentType: "image/png", blob: new Blob([]) }];
    // A File whose disk copy was removed: the browser's reader fails.
    vi.spyOn(FileReader.prototype, "readAsDataURL").mockImplementation(function (this: FileReader) {
      queueMicrotask(() => this.onerror?.(new ProgressEvent("error") as ProgressEvent<FileReader>));
    });
    const events = await callCustomEndpoint("r-4", { ...input, operation: "edit", images }, config);
    expect(events).toEqual([{ type: "gateway.failed", failure: expect.objectContaining({ code: "invalid_request", mayHaveRun: false }) }]);
    expect(calls).toHaveLength(0);
    vi.restoreAllMocks();
  });

  it.each([
    [{ code: "rate_limited", message: "slow down", sent: true, may_have_run: false, status: 429, retry_after_ms: 12_000 }, "rate_limited", false, 12_000],
    [{ code: "server_error", message: "overloaded", sent: true, may_have_run: false, status: 503 }, "server_error", false, undefined],
    [{ code: "network", message: "Could not connect to the endpoint: refused", sent: false, may_have_run: false }, "network", false, undefined],
    [{ code: "network", message: "The connection to the endpoint broke: reset", sent: true, may_have_run: true }, "network", true, undefined],
    [{ code: "server_error", message: "boom", sent: true, may_have_run: true, status: 500 }, "server_error", true, undefined],
    [{ code: "unauthorized", message: "bad key", sent: true, may_have_run: false, status: 401 }, "unauthorized", false, undefined],
    // The text is never read: without the backend's facts a failure may have run.
    [{ code: "network", message: "Could not connect to the endpoint: refused" }, "network", true, undefined],
    [{ code: "unauthorized", message: "bad key", status: 401 }, "unauthorized", true, undefined],
    // A code this version does not know (a newer backend's) may have run, whatever it claims.
    [{ code: "quota_exhausted", message: "new code", sent: true, may_have_run: false }, "internal", true, undefined],
  ])("maps native error %j to %s, may have run: %s", async (error, code, mayHaveRun, retryAfterMs) => {
    nativeAnswers({ ok: false, requestId: "r-1", error });
    const [event] = await callCustomEndpoint("r-1", input, config);
    expect(event).toMatchObject({ type: "gateway.failed", failure: { code, mayHaveRun, ...(retryAfterMs ? { retryAfterMs } : {}) } });
  });

  it("counts an IPC failure after the call was dispatched as may have run", async () => {
    mockIPC(() => {
      throw new Error("IPC channel closed");
    });
    const [event] = await callCustomEndpoint("r-1", input, config);
    expect(event).toMatchObject({ type: "gateway.failed", failure: { code: "internal", mayHaveRun: true } });
  });

  it("refuses unsafe output URLs instead of rendering them", async () => {
    nativeAnswers({ ok: true, requestId: "r-1", result: { data: [{ url: "javascript:alert(1)" }, { url: "http://evil.example.com/x.png" }] } });
    const [event] = await callCustomEndpoint("r-1", input, config);
    expect(event).toMatchObject({ type: "gateway.failed", failure: { code: "invalid_response" } });
  });

  it("redacts secrets in messages from the backend", async () => {
    nativeAnswers({ ok: false, requestId: "r-1", error: { code: "unauthorized", message: "Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx", status: 401 } });
    const [event] = await callCustomEndpoint("r-1", input, config);
    expect(JSON.stringify(event)).not.toContain("abcdefghijklmnop");
  });

  it("carries the native echo to the request, and the format it names types the images", async () => {
    nativeAnswers({ ok: true, requestId: "r-1", result: { data: [{ b64_json: B64 }] }, echo: { size: "1024x1024", quality: "medium", outputFormat: "webp", seed: 7, background: "<b>" } });
    const events = await callCustomEndpoint("r-1", input, config);
    expect(events.at(-1)).toEqual({ type: "gateway.done", echo: { size: "1024x1024", quality: "medium", outputFormat: "webp", seed: 7 } });
    expect((events[0] as { output: { src: Blob } }).output.src.type).toBe("image/webp");
    // A format the panel has no type for leaves the one asked for.
    nativeAnswers({ ok: true, requestId: "r-1", result: { data: [{ b64_json: B64 }] }, echo: { outputFormat: "tiff" } });
    const odd = await callCustomEndpoint("r-1", input, config);
    expect((odd[0] as { output: { src: Blob } }).output.src.type).toBe("image/png");
  });

  it("reports an answer of the wrong shape as an invalid response", async () => {
    nativeAnswers({ weird: true });
    const [event] = await callCustomEndpoint("r-1", input, config);
    expect(event).toMatchObject({ type: "gateway.failed", failure: { code: "invalid_response" } });
  });
});

describe("managed gateway adapter", () => {
  const bridge = (generateImages: (id: string, request: unknown) => Promise<unknown>) => {
    window.__HALOFORGE_PLUGIN_HOST__ = { version: 1, enterpriseGateway: { generateImages, editImages: generateImages, listOutputs: async () => ({ outputs: [] }) } as never };
  };

  it("calls the host bridge and turns its answer into outputs", async () => {
    const requests: unknown[] = [];
    bridge(async (id, request) => {
      requests.push([id, request]);
      return { data: [{ b64_json: B64 }] };
    });
    const events = await callManagedGateway(input);
    expect(requests).toEqual([["dev.haloforge.managed-image-gateway", { model: "gpt-image-1", prompt: "a lighthouse", size: "1024x1024", n: 2, output_format: "png" }]]);
    expect(events.map((event) => event.type)).toEqual(["gateway.output", "gateway.done"]);
  });

  it("never sends a profile's seed or negative prompt through the managed gateway", async () => {
    const requests: unknown[] = [];
    bridge(async (_id, request) => {
      requests.push(request);
      return { data: [{ b64_json: B64 }] };
    });
    await callManagedGateway({ ...input, seed: 42, negativePrompt: "blur" });
    expect(requests).toEqual([{ model: "gpt-image-1", prompt: "a lighthouse", size: "1024x1024", n: 2, output_format: "png" }]);
  });

  it("carries usage only when the managed answer has it, dropping anything but token counts", async () => {
    bridge(async () => ({ data: [{ b64_json: B64 }] }));
    expect((await callManagedGateway(input)).at(-1)).toEqual({ type: "gateway.done" });
    bridge(async () => ({ data: [{ b64_json: B64 }], usage: { input_tokens: 12, output_tokens: 272, cost: "$0.01" } }));
    expect((await callManagedGateway(input)).at(-1)).toEqual({ type: "gateway.done", usage: { input_tokens: 12, output_tokens: 272 } });
    // A usage that is not counts never costs the images.
    bridge(async () => ({ data: [{ b64_json: B64 }], usage: "lots" }));
    expect((await callManagedGateway(input)).map((event) => event.type)).toEqual(["gateway.output", "gateway.done"]);
  });

  it("reads OpenAI's echoed size, quality, format and background, and a seed, from the managed answer", async () => {
    bridge(async () => ({ created: 1, data: [{ b64_json: B64 }], size: "1536x1024", quality: "high", output_format: "png", background: "opaque", seed: 11 }));
    expect((await callManagedGateway(input)).at(-1)).toEqual({ type: "gateway.done", echo: { size: "1536x1024", quality: "high", outputFormat: "png", background: "opaque", seed: 11 } });
    // Odd values are left out one by one; the images stay.
    bridge(async () => ({ data: [{ b64_json: B64 }], size: 1536, quality: "Bearer abcdefghijkl" }));
    expect(await callManagedGateway(input)).toEqual([{ type: "gateway.output", output: { src: expect.any(Blob) } }, { type: "gateway.done" }]);
  });

  it("recognises a missing bridge, a sign-out, a rate limit and malformed data", async () => {
    expect((await callManagedGateway(input))[0]).toMatchObject({ failure: { code: "gateway_unavailable", mayHaveRun: false } });
    bridge(async () => Promise.reject(new Error("Sign in to HaloForge Cloud to use the image gateway.")));
    expect((await callManagedGateway(input))[0]).toMatchObject({ failure: { code: "signed_out", mayHaveRun: false } });
    bridge(async () => ({ data: "not a list" }));
    expect((await callManagedGateway(input))[0]).toMatchObject({ failure: { code: "invalid_response" } });
    bridge(async () => Promise.reject(new Error("The image gateway failed upstream (HTTP 401: invalid upstream token)")));
    expect((await callManagedGateway(input))[0]).toMatchObject({ failure: { code: "server_error", mayHaveRun: true } });
    bridge(async () => Promise.reject(new Error("The image gateway failed upstream (HTTP 429: rate limit reached, retry after 12 s)")));
    expect((await callManagedGateway(input))[0]).toMatchObject({ failure: { code: "rate_limited", status: 429, retryAfterMs: 12_000, mayHaveRun: false } });
    bridge(async () => Promise.reject(new Error("Rate limited by the workspace quota")));
    expect((await callManagedGateway(input))[0]).toMatchObject({ failure: { code: "rate_limited", mayHaveRun: false } });
    expect((await callManagedGateway(input))[0]).not.toHaveProperty("failure.retryAfterMs");
    bridge(async () => Promise.reject(new Error("upstream exploded")));
    expect((await callManagedGateway(input))[0]).toMatchObject({ failure: { code: "server_error", mayHaveRun: true } });
  });
});

describe("saving a result image through the host", () => {
  const request = { title: "Download image", fileName: "image-1.png", extension: "png", base64: B64 };

  it("asks the host's save dialog, then has the native backend write the bytes to the chosen path", async () => {
    const calls: { cmd: string; payload: unknown }[] = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      return cmd === "devkit_save_file" ? "/home/me/Pictures/image-1.png" : { ok: true, bytes: 70 };
    });
    expect(await saveThroughHost(request)).toEqual({ outcome: "saved" });
    expect(calls).toEqual([
      { cmd: "devkit_save_file", payload: { title: "Download image", directory: null, defaultName: "image-1.png", filters: ["png"] } },
      {
        cmd: "plugin_invoke",
        payload: { args: { wire_name: "plugin_dev_haloforge_managed_image_gateway_save_image", args: { path: "/home/me/Pictures/image-1.png", base64: B64 } } },
      },
    ]);
  });

  it("writes nothing when the user closes the dialog", async () => {
    const calls = nativeAnswers(null);
    expect(await saveThroughHost(request)).toEqual({ outcome: "cancelled" });
    expect(calls.map((call) => call.cmd)).toEqual(["devkit_save_file"]);
  });

  it("gives the native refusal, redacted, as the reason", async () => {
    mockIPC((cmd) => (cmd === "devkit_save_file" ? "/tmp/a.png" : { ok: false, error: { code: "write_failed", message: "permission denied for sk-live-abcdefghijklmnop1234" } }));
    const saved = await saveThroughHost(request);
    expect(saved).toMatchObject({ outcome: "failed" });
    expect(JSON.stringify(saved)).toContain("permission denied");
    expect(JSON.stringify(saved)).not.toContain("abcdefghijklmnop1234");
  });

  it("says there is no dialog (so the panel downloads through the browser) where no host answers", async () => {
    expect(await saveThroughHost(request)).toBeUndefined();
  });
});
