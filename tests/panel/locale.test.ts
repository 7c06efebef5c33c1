// @vitest-environment jsdom
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { mountPanel } from "../../src/app/mountPanel.ts";

beforeEach(() => {
  localStorage.clear();
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  mockIPC(() => ({ ok: true, apiKeySet: false }));
});
afterEach(() => {
  vi.restoreAllMocks();
  clearMocks();
  document.body.innerHTML = "";
});

function mountInto() {
  const element = document.createElement("div");
  document.body.append(element);
  return { element, unmount: mountPanel(element) };
}
const title = (element: HTMLElement) => element.querySelector(".hfmig-title")?.textContent;

describe("the panel's locale", () => {
  it("switches to Chinese when another host window changes hf:locale", async () => {
    localStorage.setItem("hf:locale", "en");
    const { element, unmount } = mountInto();
    await flushPromises();
    expect(title(element)).toBe("Image Gateway");
    expect(element.querySelector(".hfmig-root")?.getAttribute("lang")).toBe("en");
    expect(element.textContent).toContain("Auto chose the mock gateway");

    localStorage.setItem("hf:locale", "zh");
    window.dispatchEvent(new StorageEvent("storage", { key: "hf:locale", oldValue: "en", newValue: "zh" }));
    await flushPromises();
    expect(title(element)).toBe("图像网关");
    expect(element.querySelector(".hfmig-root")?.getAttribute("lang")).toBe("zh-CN");
    // The dev-only mock strings follow too.
    expect(element.textContent).toContain("自动模式选择了模拟网关");
    unmount();
  });

  it("ignores storage events for other keys", async () => {
    localStorage.setItem("hf:locale", "en");
    const { element, unmount } = mountInto();
    await flushPromises();
    localStorage.setItem("hf:locale", "zh");
    window.dispatchEvent(new StorageEvent("storage", { key: "hfmig.draft.v1", newValue: "{}" }));
    await flushPromises();
    expect(title(element)).toBe("Image Gateway");
    unmount();
  });

  it("re-reads hf:locale when its own window regains focus or becomes visible (no storage event there)", async () => {
    localStorage.setItem("hf:locale", "zh");
    const { element, unmount } = mountInto();
    await flushPromises();
    expect(title(element)).toBe("图像网关");

    localStorage.setItem("hf:locale", "en");
    window.dispatchEvent(new Event("focus"));
    await flushPromises();
    expect(title(element)).toBe("Image Gateway");

    localStorage.setItem("hf:locale", "zh");
    document.dispatchEvent(new Event("visibilitychange"));
    await flushPromises();
    expect(title(element)).toBe("图像网关");
    unmount();
  });

  it("removes every window and document listener it added when unmounted", async () => {
    const added: [EventTarget, string, unknown][] = [];
    const removed: [EventTarget, string, unknown][] = [];
    for (const target of [window, document]) {
      const add = target.addEventListener.bind(target);
      const remove = target.removeEventListener.bind(target);
      vi.spyOn(target, "addEventListener").mockImplementation((type, listener, options) => {
        added.push([target, type, listener]);
        add(type, listener, options);
      });
      vi.spyOn(target, "removeEventListener").mockImplementation((type, listener, options) => {
        removed.push([target, type, listener]);
        remove(type, listener, options);
      });
    }
    const { unmount } = mountInto();
    await flushPromises();
    expect(added.map(([, type]) => type)).toEqual(expect.arrayContaining(["storage", "focus", "visibilitychange"]));
    unmount();
    const stillListening = added.filter(([target, type, listener]) => !removed.some((entry) => entry[0] === target && entry[1] === type && entry[2] === listener));
    expect(stillListening.map(([target, type]) => `${target === window ? "window" : "document"} ${type}`)).toEqual([]);
  });
});
