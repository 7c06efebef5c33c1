// @vitest-environment jsdom
import { createElement } from "react";
import { act } from "react";
import { createRoot } from "react-dom/client";
import type { App } from "vue";
import type { Pinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { VuePanelHost } from "../../src/react/VuePanelHost.ts";

// React's act() warns unless the environment says it is a test environment.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type HostElement = HTMLElement & { __vue_app__?: App };

/** Net listeners added to window and document while the panel lives. */
function trackListeners() {
  const live = new Map<string, number>();
  for (const target of [window, document]) {
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    vi.spyOn(target, "addEventListener").mockImplementation((type, listener, options) => {
      live.set(type, (live.get(type) ?? 0) + 1);
      add(type, listener, options);
    });
    vi.spyOn(target, "removeEventListener").mockImplementation((type, listener, options) => {
      live.set(type, (live.get(type) ?? 0) - 1);
      remove(type, listener, options);
    });
  }
  return () => [...live.values()].reduce((sum, count) => sum + count, 0);
}

describe("VuePanelHost (React → Vue adapter)", () => {
  let container: HTMLElement;
  beforeEach(() => {
    container = document.createElement("div");
    document.body.append(container);
  });
  afterEach(() => container.remove());

  it("mounts the Vue panel into its element with a fresh Pinia", () => {
    const root = createRoot(container);
    act(() => root.render(createElement(VuePanelHost)));
    const host = container.querySelector<HostElement>(".hfmig-host")!;
    expect(host.querySelector(".hfmig-root")).not.toBeNull();
    expect(host.__vue_app__?.config.globalProperties.$pinia).toBeDefined();
    act(() => root.unmount());
  });

  it("leaks no app, store, listener or DOM node over 100 mount/unmount cycles", () => {
    const netListeners = trackListeners();
    const nodesBefore = document.querySelectorAll("*").length;
    const rootInstances: NonNullable<App["_instance"]>[] = [];
    const pinias = new Set<Pinia>();

    for (let cycle = 0; cycle < 100; cycle += 1) {
      const root = createRoot(container);
      act(() => root.render(createElement(VuePanelHost)));
      const host = container.querySelector<HostElement>(".hfmig-host")!;
      const app = host.__vue_app__!;
      rootInstances.push(app._instance!);
      pinias.add(app.config.globalProperties.$pinia as Pinia);
      act(() => root.unmount());

      expect(host.__vue_app__).toBeUndefined();
      expect(host.childNodes).toHaveLength(0);
      expect(container.childNodes).toHaveLength(0);
    }

    expect(pinias.size).toBe(100);
    for (const instance of rootInstances) expect(instance.isUnmounted).toBe(true);
    for (const pinia of pinias) {
      const internals = pinia as Pinia & { _s: Map<string, unknown>; _e: { active: boolean } };
      expect(internals._s.size).toBe(0);
      expect(internals._e.active).toBe(false);
    }
    expect(document.querySelectorAll("*").length).toBe(nodesBefore);
    expect(netListeners()).toBe(0);
    // 100 full panel mounts take ~4 s on a quiet 2-core machine; this checks leaks, not speed.
  }, 60_000);

  it("survives React StrictMode's mount, unmount, mount", async () => {
    const { StrictMode } = await import("react");
    const root = createRoot(container);
    act(() => root.render(createElement(StrictMode, null, createElement(VuePanelHost))));
    expect(container.querySelectorAll(".hfmig-root")).toHaveLength(1);
    act(() => root.unmount());
    expect(container.childNodes).toHaveLength(0);
  });
});
