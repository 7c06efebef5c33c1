import { afterEach, describe, expect, it, vi } from "vitest";
import { afterFirstPaint } from "../../src/app/afterFirstPaint.ts";
import { historyWhen, memoryHistory } from "../../src/history/historyBackend.ts";
import { memoryReferenceDraft, referenceDraftWhen } from "../../src/persistence/referenceDraft.ts";
import type { HistoryRecord } from "../../src/history/historyRecord.ts";

function gate() {
  let open!: () => void;
  const ready = new Promise<void>((resolve) => (open = resolve));
  return { ready, open };
}

describe("storage opened after the first paint", () => {
  it("opens the history backend only once the paint settled, and every call waits for it", async () => {
    const { ready, open } = gate();
    const real = memoryHistory([{ id: "a" } as HistoryRecord]);
    let opened = 0;
    const history = historyWhen(ready, () => (opened++, real));
    const loading = history.loadAll();
    const writing = history.put({ id: "b" } as HistoryRecord);
    await Promise.resolve();
    expect(opened).toBe(0);
    expect(real.records.has("b")).toBe(false);

    open();
    expect((await loading).map((record) => record.id)).toEqual(["a"]);
    await writing;
    expect(real.records.has("b")).toBe(true);
    await history.remove("a");
    expect([...real.records.keys()]).toEqual(["b"]);
    expect(opened).toBe(1);
  });

  it("keeps the references draft's load and save behind the paint", async () => {
    const { ready, open } = gate();
    const real = memoryReferenceDraft();
    const draft = referenceDraftWhen(ready, () => real);
    const saving = draft.save({ images: [] });
    await Promise.resolve();
    expect(real.saved).toBeUndefined();
    open();
    await saving;
    expect(await draft.load()).toEqual({ images: [] });
  });
});

// The browser's frame and idle callbacks are the boundary: run them by hand.
function fakeFrames() {
  const frames: (() => void)[] = [];
  const idle: (() => void)[] = [];
  vi.stubGlobal("requestAnimationFrame", (callback: () => void) => frames.push(callback));
  vi.stubGlobal("requestIdleCallback", (callback: () => void) => idle.push(callback));
  const settle = () => new Promise((resolve) => setTimeout(resolve));
  return {
    frame: async () => (frames.splice(0).forEach((callback) => callback()), settle()),
    idle: async () => (idle.splice(0, 1).forEach((callback) => callback()), settle()),
    pendingIdle: () => idle.length,
  };
}

describe("the parts that wait for the first paint", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("settles nothing before the frame, then one part per idle period, in call order", async () => {
    const browser = fakeFrames();
    const next = afterFirstPaint();
    const settled: string[] = [];
    for (const part of ["requests", "results", "history"]) void next().then(() => settled.push(part));
    await browser.frame();
    expect(settled).toEqual([]);
    await browser.idle();
    expect(settled).toEqual(["requests"]);
    // The next part asks for its own idle period only once the one before it has run.
    expect(browser.pendingIdle()).toBe(1);
    await browser.idle();
    await browser.idle();
    expect(settled).toEqual(["requests", "results", "history"]);
  });

  it("does not wait for a frame that never comes (a hidden window)", async () => {
    vi.useFakeTimers();
    try {
      vi.stubGlobal("requestAnimationFrame", () => 0);
      vi.stubGlobal("requestIdleCallback", undefined);
      const next = afterFirstPaint();
      let settled = false;
      void next().then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(299);
      expect(settled).toBe(false);
      // The frame's 300 ms fallback, then the task that stands in for an idle period (WebKit).
      await vi.advanceTimersByTimeAsync(10);
      expect(settled).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
