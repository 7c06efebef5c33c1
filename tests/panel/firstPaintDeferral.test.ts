// @vitest-environment jsdom
// What a first paint does not need waits for it: the root actor starts when `afterPaint.core`
// settles (or at once for an event sent before), the history store is made on the first history
// event, and nothing stored builds no settings or draft schema.
import { createPinia, setActivePinia } from "pinia";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "vue";
import * as z from "zod/mini";
import { AFTER_PAINT, type AfterPaint } from "../../src/app/panelEnvironment.ts";
import { repairFields } from "../../src/schemas/repairFields.ts";
import { usePanelStore } from "../../src/stores/panel.store.ts";
import { useFakeHost } from "./fakeHost.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";

useFakeHost();

/** The steps before `core` settled; `core` and the ones after it (in order) settle when the test says. */
function heldCore() {
  let release!: () => void;
  const core = new Promise<void>((resolve) => (release = resolve));
  const from = AFTER_PAINT.indexOf("core");
  const afterPaint = Object.fromEntries(AFTER_PAINT.map((step, index) => [step, index < from ? Promise.resolve() : core])) as AfterPaint;
  return { afterPaint, release };
}

function panelWith(afterPaint: AfterPaint, watch: () => () => void) {
  const app = createApp({});
  const pinia = createPinia();
  app.use(pinia);
  app.use(panelEnvironment(testEnvironment({ afterPaint, host: { hasManagedGateway: () => true, watch, probeSession: async () => ({ fact: "unknown" }) } })));
  setActivePinia(pinia);
  return { app, pinia, panel: app.runWithContext(() => usePanelStore()) };
}

describe("after the first paint", () => {
  it("starts the root actor when the core's turn comes, showing the gateway's first context until then", async () => {
    const { afterPaint, release } = heldCore();
    const watch = vi.fn(() => () => undefined);
    const { app, panel } = panelWith(afterPaint, watch);
    // The managed gateway, not yet proven, as the gateway machine starts.
    expect(panel.status).toMatchObject({ status: "available", labelKey: "managed", proof: "sessionUnknown" });
    expect(panel.mode).toBe("auto");
    await new Promise((resolve) => setTimeout(resolve));
    expect(watch).not.toHaveBeenCalled();

    release();
    await vi.waitFor(() => expect(watch).toHaveBeenCalledTimes(1));
    expect(panel.status).toMatchObject({ status: "available", labelKey: "managed", proof: "sessionUnknown" });
    app.unmount();
  });

  it("starts it at once for an event sent before then, and once only", async () => {
    const { afterPaint, release } = heldCore();
    const watch = vi.fn(() => () => undefined);
    const { app, panel } = panelWith(afterPaint, watch);
    panel.submit({ operation: "generate", prompt: "", model: "gpt-image-1", size: "1024x1024", n: 1 });
    expect(watch).toHaveBeenCalledTimes(1);
    expect(panel.views).toHaveLength(1);
    release();
    await new Promise((resolve) => setTimeout(resolve));
    expect(watch).toHaveBeenCalledTimes(1);
    app.unmount();
  });

  it("makes the history store on the first history event, not with the panel", async () => {
    const { afterPaint, release } = heldCore();
    const { app, pinia, panel } = panelWith(afterPaint, () => () => undefined);
    release();
    await new Promise((resolve) => setTimeout(resolve));
    expect(pinia.state.value.history).toBeUndefined();
    panel.submit({ operation: "generate", prompt: "a lighthouse", model: "gpt-image-1", size: "1024x1024", n: 1 });
    await vi.waitFor(() => expect(pinia.state.value.history).toBeDefined());
    app.unmount();
  });
});

describe("stored fields", () => {
  it("build no schema when nothing is stored, and repair field by field when something is", () => {
    const shape = vi.fn(() => ({ n: z.number(), prompt: z.string() }));
    expect(repairFields(shape, { n: 1, prompt: "" }, null)).toEqual({ value: { n: 1, prompt: "" }, repaired: [] });
    expect(repairFields(shape, { n: 1, prompt: "" }, "not an object")).toEqual({ value: { n: 1, prompt: "" }, repaired: [] });
    expect(shape).not.toHaveBeenCalled();
    expect(repairFields(shape, { n: 1, prompt: "" }, { n: "two", prompt: "kept", extra: true })).toEqual({ value: { n: 1, prompt: "kept" }, repaired: ["n"] });
    expect(shape).toHaveBeenCalledTimes(1);
  });
});
