// @vitest-environment jsdom
// The request cards' clock: a timer exists only while a request runs, ticking in tenths of a
// second only while one waits to retry (cold start and an idle panel pay for none).
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "vue";
import { usePanelStore } from "../../src/stores/panel.store.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import type { GatewayCallEvent } from "../../machines/index.ts";
import { useFakeHost } from "./fakeHost.ts";

useFakeHost();
afterEach(() => void vi.useRealTimers());

describe("the request clock", () => {
  it("runs no timer while idle, ticks every second while a request runs and every 100 ms while one waits to retry", async () => {
    vi.useFakeTimers();
    let now = 0;
    const answers: ((events: GatewayCallEvent[]) => void)[] = [];
    const app = createApp({});
    const pinia = createPinia();
    app.use(pinia);
    app.use(
      panelEnvironment(
        testEnvironment({
          flavour: "development",
          now: () => now,
          mock: () => new Promise((resolve) => answers.push(resolve)),
          host: { watch: () => () => undefined, probeSession: async () => ({ fact: "unknown" }) },
        }),
      ),
    );
    setActivePinia(pinia);
    const panel = app.runWithContext(() => usePanelStore());
    await vi.advanceTimersByTimeAsync(20_000);
    expect(vi.getTimerCount()).toBe(0);

    panel.submit({ operation: "generate", prompt: "a slow one", model: "gpt-image-2", size: "1024x1024", n: 1 });
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    now = 2_500;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(panel.views[0]!.elapsedMs).toBe(2_500);
    answers[0]!([{ type: "gateway.failed", failure: { code: "rate_limited", retryAfterMs: 5_000, message: "", mayHaveRun: false } }]);
    await vi.waitFor(() => expect(panel.views[0]!.phase).toBe("waitingRetry"));
    now = 3_000;
    await vi.advanceTimersByTimeAsync(100);
    expect(panel.views[0]!.retryInMs).toBe(4_500);
    now = 3_100;
    await vi.advanceTimersByTimeAsync(100);
    expect(panel.views[0]!.retryInMs).toBe(4_400);

    panel.cancel(panel.views[0]!.id);
    await vi.waitFor(() => expect(panel.views[0]!.phase).toBe("cancelled"));
    expect(vi.getTimerCount()).toBe(0);
    app.unmount();
  });
});
