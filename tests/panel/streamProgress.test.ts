// @vitest-environment jsdom
// The custom adapter's streaming: it asks for partials by the poll and at once on the plugin
// event, never fetches a partial twice, stops asking when the call ends, and carries the answer's
// usage and stream fallback to the request machine.
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { callCustomEndpoint } from "../../src/adapters/customGateway.ts";
import { PROGRESS_POLL_MS } from "../../src/adapters/streamProgress.ts";
import { blobToBase64 } from "../../src/history/historyRecord.ts";
import { type EndpointDescription, type GatewayCallEvent, type RequestInput } from "../../machines/index.ts";
import { TEST_ENDPOINT } from "./testEndpoint.ts";

const PLUGIN_ID = "dev.haloforge.managed-image-gateway";
const input: RequestInput = { operation: "generate", prompt: "a lighthouse", model: "gpt-image-1", size: "1024x1024", n: 1 };
const config: EndpointDescription = { ...TEST_ENDPOINT, partialImages: 2 };
const B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const usage = { input_tokens: 100, output_tokens: 50, total_tokens: 150, input_tokens_details: { text_tokens: 100, image_tokens: 0 } };
const flush = async () => {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
};

beforeEach(() => {
  registerPlugin(PLUGIN_ID, definePlugin({}));
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
});
afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

/** A native backend whose image call answers when `finish` is called, with partials seq 1..`newest`. */
function streamingBackend() {
  const progress: { after: number }[] = [];
  const sent: Record<string, unknown>[] = [];
  let newest = 0;
  let finish: (answer: unknown) => void = () => undefined;
  mockIPC(
    (_cmd, payload) => {
      const { wire_name: wire, args } = (payload as { args: { wire_name: string; args: Record<string, unknown> } }).args;
      if (wire.endsWith("_request_progress")) {
        const after = args.after as number;
        progress.push({ after });
        const partials = Array.from({ length: newest }, (_, index) => index + 1).filter((seq) => seq > after).map((seq) => ({ seq, imageIndex: 0, partialIndex: seq - 1, b64_json: B64 }));
        return { ok: true, requestId: args.requestId, state: "streaming", lastSeq: newest, partials };
      }
      sent.push(args);
      return new Promise((resolve) => (finish = resolve));
    },
    { shouldMockEvents: true },
  );
  return { progress, sent, partial: (seq: number) => (newest = seq), finish: (answer: unknown) => finish(answer) };
}

const announce = (seq: number, requestId = "r-1") => emit(`plugin:${PLUGIN_ID}:request_progress`, { requestId, seq, imageIndex: 0, partialIndex: seq - 1 });

describe("streamed partials from the custom endpoint", () => {
  it("fetches a partial at once on the plugin event, once, and newer ones by the poll; stops when the call ends", async () => {
    const backend = streamingBackend();
    const partials: GatewayCallEvent[] = [];
    const call = callCustomEndpoint("r-1", input, config, (event) => partials.push(event));
    await flush();
    expect(backend.sent[0]).toMatchObject({ requestId: "r-1", stream: true, partialImages: 2 });

    backend.partial(1);
    await announce(1);
    await flush();
    expect(backend.progress).toEqual([{ after: 0 }]);
    expect(partials).toEqual([{ type: "gateway.partial", seq: 1, src: expect.any(Blob) }]);
    const preview = (partials[0] as { src: Blob }).src;
    expect(await blobToBase64(preview)).toBe(B64);
    // The same partial announced again, or another request's, asks for nothing.
    await announce(1);
    await announce(5, "r-other");
    await flush();
    expect(backend.progress).toHaveLength(1);

    // No event for seq 2 (a host that does not deliver plugin events): the poll finds it.
    backend.partial(2);
    vi.advanceTimersByTime(PROGRESS_POLL_MS);
    await flush();
    expect(backend.progress.at(-1)).toEqual({ after: 1 });
    expect(partials.map((event) => (event as { seq: number }).seq)).toEqual([1, 2]);

    backend.finish({ ok: true, requestId: "r-1", streamFallbackReason: "plain_answer", result: { data: [{ b64_json: B64 }], usage: { ...usage, cost_usd: 0.4 } } });
    expect(await call).toEqual([
      { type: "gateway.output", output: { src: expect.any(Blob) } },
      { type: "gateway.done", usage, streamFallback: "plain_answer" },
    ]);
    const asked = backend.progress.length;
    vi.advanceTimersByTime(PROGRESS_POLL_MS * 10);
    await announce(3);
    await flush();
    expect(backend.progress).toHaveLength(asked);
  });

  it("neither streams nor polls when previews are off", async () => {
    const backend = streamingBackend();
    const call = callCustomEndpoint("r-1", input, { ...config, partialImages: undefined }, () => undefined);
    await flush();
    expect(backend.sent[0]).not.toHaveProperty("stream");
    vi.advanceTimersByTime(PROGRESS_POLL_MS * 4);
    await flush();
    backend.finish({ ok: true, requestId: "r-1", result: { data: [{ b64_json: B64 }] } });
    await call;
    expect(backend.progress).toEqual([]);
  });
});
