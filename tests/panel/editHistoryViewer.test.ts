// @vitest-environment jsdom
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { nextTick, ref } from "vue";
import PanelRoot from "../../src/app/PanelRoot.vue";
import ImageViewer from "../../src/components/ImageViewer.vue";
import { I18N_KEY } from "../../src/composables/useI18n.ts";
import type { HostSave } from "../../src/adapters/imageFile.ts";
import { useImageActions } from "../../src/composables/useImageActions.ts";
import { memoryHistory } from "../../src/history/historyBackend.ts";
import { recordFromInput, type HistoryRecord } from "../../src/history/historyRecord.ts";
import { createTranslator } from "../../src/i18n/i18n.ts";
import { blobToBase64 } from "../../src/history/historyRecord.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import type { GatewayCallEvent, RequestInput } from "../../machines/index.ts";
import { useFakeHost } from "./fakeHost.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const { t } = createTranslator(ref("en"));

let calls: RequestInput[] = [];
// The gateway boundary: a fake that records what reached it and answers with n PNGs.
const fakeGateway = async (input: RequestInput): Promise<GatewayCallEvent[]> => {
  calls.push(input);
  return [...Array.from({ length: input.n }, (): GatewayCallEvent => ({ type: "gateway.output", output: { src: new Blob([Buffer.from(PNG, "base64")], { type: "image/png" }) } })), { type: "gateway.done" }];
};

useFakeHost();
beforeEach(() => {
  calls = [];
});

function mountPanel(history = memoryHistory()) {
  const environment = testEnvironment({ flavour: "development", mock: fakeGateway, historyBackend: () => history, objectUrls: { create: () => "blob:test", revoke: () => undefined } });
  const wrapper = mount(PanelRoot, { global: { plugins: [createPinia(), panelEnvironment(environment)] }, attachTo: document.body });
  return { wrapper, history };
}

const pngFile = (name: string) => new File([Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0))], name, { type: "image/png" });

describe("edit mode", () => {
  it("sends two references picked from files as an edit and keeps the result in history", async () => {
    const { wrapper, history } = mountPanel();
    await flushPromises();
    await wrapper.get('[data-testid="mode-edit"]').trigger("click");
    const picker = wrapper.get('[data-testid="reference-input"]');
    Object.defineProperty(picker.element, "files", { value: [pngFile("cat.png"), pngFile("dog.png")], configurable: true });
    await picker.trigger("change");
    expect(wrapper.findAll('[data-testid="reference"]')).toHaveLength(2);

    await wrapper.get('[data-testid="prompt"]').setValue("make them friends");
    await wrapper.get('[data-testid="generate"]').trigger("click");
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="gallery-image"]')).toHaveLength(1));
    expect(calls[0]).toMatchObject({ operation: "edit", prompt: "make them friends", images: [{ fileName: "cat.png", contentType: "image/png" }, { fileName: "dog.png" }] });
    // The picked files' own bytes reach the gateway as Blobs (base64 only at the IPC edge).
    const sent = (calls[0] as Extract<RequestInput, { operation: "edit" }>).images[0]!.blob;
    expect(await blobToBase64(sent)).toBe(PNG);

    await vi.waitFor(() => expect([...history.records.values()][0]?.status).toBe("succeeded"));
    const saved = [...history.records.values()][0]!;
    expect(saved.references.map((image) => image.name)).toEqual(["cat.png", "dog.png"]);
    expect(saved.images[0]).toBeInstanceOf(Blob);
    wrapper.unmount();
  });

  it("uses a gallery result as a reference and switches to Edit", async () => {
    const { wrapper } = mountPanel();
    await wrapper.get('[data-testid="prompt"]').setValue("a teapot");
    await wrapper.get('[data-testid="generate"]').trigger("click");
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="gallery-image"]')).toHaveLength(1));
    await wrapper.get('[data-testid="use-as-reference"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="mode-edit"]').attributes("aria-checked")).toBe("true");
    expect(wrapper.findAll('[data-testid="reference"]')).toHaveLength(1);
    wrapper.unmount();
  });
});

describe("history", () => {
  const stored = (index: number, patch: Partial<HistoryRecord> = {}): HistoryRecord => ({
    ...recordFromInput(`r${index}`, index, { operation: "generate", prompt: `prompt number ${index}`, model: "gpt-image-1", size: "1024x1024", n: 1 })!,
    status: "succeeded",
    ...patch,
  });

  it("keeps 1,000 items to a few DOM rows and filters them by prompt", async () => {
    const { wrapper } = mountPanel(memoryHistory(Array.from({ length: 1000 }, (_, index) => stored(index + 1))));
    await flushPromises();
    const rows = wrapper.findAll('[data-testid="history-item"]');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(30);
    await wrapper.get('[data-testid="history-search"]').setValue("number 999");
    expect(wrapper.findAll('[data-testid="history-item"]').map((row) => row.text())).toEqual([expect.stringContaining("prompt number 999")]);
    wrapper.unmount();
  });

  it("shows the rows at the scroll offset and keeps a row's element while it stays in view", async () => {
    const { wrapper } = mountPanel(memoryHistory(Array.from({ length: 1000 }, (_, index) => stored(index + 1))));
    await flushPromises();
    const scroller = wrapper.get('[data-testid="history-scroller"]');
    const scrollTo = async (row: number) => {
      scroller.element.scrollTop = row * 64;
      await scroller.trigger("scroll");
    };
    const rows = () => wrapper.findAll('[data-testid="history-item"]');
    // Newest first: row i shows prompt number 1000 - i; three rows of margin on either side.
    const numbers = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, index) => `prompt number ${from - index}`);
    const prompts = () => rows().map((row) => row.get(".hfmig-prompt-preview").text());
    await scrollTo(500);
    expect(prompts()).toEqual(numbers(503, 491));
    const row = rows().find((candidate) => candidate.text().includes("prompt number 500"))!;
    await scrollTo(502);
    expect(prompts()).toEqual(numbers(501, 489));
    expect(rows()[1]!.element).toBe(row.element);
    wrapper.unmount();
  });

  it("shows a request interrupted by a reload as interrupted, and its re-run only fills the composer", async () => {
    const { wrapper } = mountPanel(memoryHistory([stored(5, { status: "requesting", prompt: "lost in reload", size: "1536x1024", n: 2, gatewayKind: "managed" })]));
    await flushPromises();
    const row = wrapper.get('[data-testid="history-item"]');
    expect(row.get('[data-testid="history-status"]').text()).toBe("Interrupted");
    expect(row.get('[data-testid="history-billing"]').text()).toContain("may have been billed");
    await row.get('[data-testid="history-rerun"]').trigger("click");
    await flushPromises();
    expect((wrapper.get('[data-testid="prompt"]').element as HTMLTextAreaElement).value).toBe("lost in reload");
    expect((wrapper.get('[data-testid="count"]').element as HTMLInputElement).value).toBe("2");
    expect(wrapper.findAll('[data-testid="request"]')).toHaveLength(0);
    expect(calls).toEqual([]);
    wrapper.unmount();
  });

  it("offers a request that was only queued at the reload back to the composer, and an edit with its references", async () => {
    const reference = { name: "cat.png", type: "image/png", blob: new Blob([Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0))], { type: "image/png" }) };
    const { wrapper } = mountPanel(memoryHistory([stored(6, { status: "queued", operation: "edit", prompt: "never sent", references: [reference], mask: { ...reference, name: "cat-mask.png" } })]));
    await flushPromises();
    const row = wrapper.get('[data-testid="history-item"]');
    expect(row.get('[data-testid="history-status"]').text()).toBe("Not sent");
    expect(row.get('[data-testid="history-no-image"]').text()).toBe("No image: never sent");
    await row.get('[data-testid="history-put-back"]').trigger("click");
    await flushPromises();
    expect((wrapper.get('[data-testid="prompt"]').element as HTMLTextAreaElement).value).toBe("never sent");
    expect(wrapper.get('[data-testid="mode-edit"]').attributes("aria-checked")).toBe("true");
    expect(wrapper.findAll('[data-testid="reference"]')).toHaveLength(1);
    expect(wrapper.findAll('[data-testid="request"]')).toHaveLength(0);
    expect(calls).toEqual([]);
    wrapper.unmount();
  });

  it("opens a past request's images in the viewer", async () => {
    const withImage = stored(3, { images: [new Blob([Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0))], { type: "image/png" })] });
    const { wrapper } = mountPanel(memoryHistory([withImage]));
    await flushPromises();
    await wrapper.get('[aria-label^="Open this request\'s images: "]').trigger("click");
    expect(wrapper.get('[data-testid="viewer-image"]').attributes("src")).toBe("blob:test");
    expect(wrapper.get('[data-testid="viewer-position"]').text()).toBe("1 of 1");
    wrapper.unmount();
  });

  it("deletes with undo", async () => {
    const { wrapper, history } = mountPanel(memoryHistory([stored(1), stored(2)]));
    await flushPromises();
    await wrapper.findAll('[data-testid="history-delete"]')[0]!.trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-testid="history-item"]')).toHaveLength(1);
    expect(history.records.has("r2")).toBe(false);
    await wrapper.get('[data-testid="undo-delete"]').trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-testid="history-item"]')).toHaveLength(2);
    expect(history.records.has("r2")).toBe(true);
    wrapper.unmount();
  });
});

describe("the image viewer", () => {
  const items = ["a", "b", "c"].map((key) => ({ key, src: `data:image/png;base64,${PNG}`, stem: key, alt: key, requestId: `req-${key}` }));

  it("moves with the arrow keys, wraps around, goes to the first and last with Home and End, and closes on Escape", async () => {
    const wrapper = mount(ImageViewer, { props: { items, index: 0 }, global: { provide: { [I18N_KEY as symbol]: t } }, attachTo: document.body });
    const dialog = wrapper.get('[data-testid="viewer"]');
    await dialog.trigger("keydown", { key: "ArrowLeft" });
    expect(wrapper.emitted("navigate")).toEqual([[2]]);
    await wrapper.setProps({ index: 2 });
    await dialog.trigger("keydown", { key: "ArrowRight" });
    expect(wrapper.emitted("navigate")![1]).toEqual([0]);
    expect(wrapper.get('[data-testid="viewer-position"]').text()).toBe("3 of 3");
    await dialog.trigger("keydown", { key: "Home" });
    await dialog.trigger("keydown", { key: "End" });
    expect(wrapper.emitted("navigate")!.slice(2)).toEqual([[0], [2]]);
    await dialog.trigger("keydown", { key: "Escape" });
    expect(wrapper.emitted("close")).toHaveLength(1);
    wrapper.unmount();
  });

  it("keeps Tab and Shift+Tab inside the open viewer and gives focus back to its opener on close", async () => {
    const opener = document.body.appendChild(document.createElement("button"));
    opener.focus();
    const wrapper = mount(ImageViewer, { props: { items, index: 0 }, global: { provide: { [I18N_KEY as symbol]: t } }, attachTo: document.body });
    await nextTick();
    const dialog = wrapper.get('[data-testid="viewer"]').element;
    expect(document.activeElement).toBe(dialog);

    const tab = (shiftKey = false) => document.activeElement!.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", shiftKey, bubbles: true, cancelable: true }));
    const focused = () => document.activeElement!.getAttribute("aria-label");
    const controls = [...dialog.querySelectorAll("button")].map((button) => button.getAttribute("aria-label"));
    expect(controls).toEqual(["Previous image", "Next image", "Download image", "Copy image", "Use as reference", "Close viewer"]);
    const visited = controls.map(() => (tab(), focused()));
    expect(visited).toEqual(controls);
    tab();
    expect(focused()).toBe("Previous image");
    tab(true);
    expect(focused()).toBe("Close viewer");
    expect(dialog.contains(document.activeElement)).toBe(true);

    wrapper.unmount();
    expect(document.activeElement).toBe(opener);
  });

  const browser = () => {
    const clicked: string[] = [];
    const document = {
      createElement: () => ({ click() { clicked.push(this.download as string); }, remove() {}, download: "", href: "", rel: "" }),
      body: { append() {} },
    } as unknown as Document;
    return { clicked, document };
  };

  it("downloads through the browser where the host has no save dialog, and copies a PNG as an image", async () => {
    const { clicked, document: fakeDocument } = browser();
    const written: unknown[] = [];
    const actions = useImageActions({
      document: fakeDocument,
      clipboard: { write: async (items) => void written.push(items), writeText: async () => undefined },
      makeClipboardItem: (item) => item as unknown as ClipboardItem,
      saveThroughHost: async () => undefined,
    });
    expect(await actions.download({ src: items[0]!.src, stem: "image-1" }, "Download image")).toEqual({ outcome: "downloaded" });
    expect(clicked).toEqual(["image-1.png"]);
    expect(actions.fileName({ stem: "image-2", src: "data:image/jpeg;base64,/9j/4AAQ" })).toBe("image-2.jpg");
    expect(actions.fileName({ stem: "image-3", src: "https://cdn.example/x" })).toBe("image-3.png");
    expect(actions.fileName({ stem: "image-4", src: "blob:http://panel/4", blob: new Blob([], { type: "image/webp" }) })).toBe("image-4.webp");
    expect(actions.notice.value).toBeUndefined();
    expect(await actions.copy(items[0]!)).toBe("image");
    expect(written).toHaveLength(1);
    expect(actions.notice.value).toEqual({ key: "viewer.copied.image" });
    expect(await actions.copy({ src: "https://cdn.example/x.png" })).toBe("link");
  });

  it("saves an image it holds through the host's save dialog and says so, and a remote one through the browser", async () => {
    const { clicked, document: fakeDocument } = browser();
    const asked: unknown[] = [];
    let answer: HostSave = { outcome: "saved" };
    const actions = useImageActions({ document: fakeDocument, saveThroughHost: async (request) => (asked.push(request), answer) });
    expect(await actions.download({ src: items[0]!.src, stem: "image-1" }, "Download image")).toEqual({ outcome: "saved" });
    expect(asked).toEqual([{ title: "Download image", fileName: "image-1.png", extension: "png", base64: items[0]!.src.split(",")[1] }]);
    expect(actions.notice.value).toEqual({ key: "viewer.saved" });

    answer = { outcome: "failed", reason: "permission denied" };
    await actions.download({ src: items[0]!.src, stem: "image-1" }, "Download image");
    expect(actions.notice.value).toEqual({ key: "viewer.notSaved", params: { reason: "permission denied" } });
    answer = { outcome: "cancelled" };
    await actions.download({ src: items[0]!.src, stem: "image-1" }, "Download image");
    expect(actions.notice.value).toBeUndefined();
    expect(clicked).toEqual([]);

    expect(await actions.download({ src: "https://cdn.example/x.png", stem: "image-2" }, "Download image")).toEqual({ outcome: "downloaded" });
    expect(asked).toHaveLength(3);
    expect(clicked).toEqual(["image-2.png"]);
  });

  it("treats an image restored from history like a fresh one: its Blob is saved through the host and copied as an image", async () => {
    const { clicked, document: fakeDocument } = browser();
    const asked: { base64: string; fileName: string }[] = [];
    const written: unknown[] = [];
    const texts: string[] = [];
    const actions = useImageActions({
      document: fakeDocument,
      clipboard: { write: async (items) => void written.push(items), writeText: async (text) => void texts.push(text) },
      makeClipboardItem: (item) => item as unknown as ClipboardItem,
      saveThroughHost: async (request) => (asked.push(request), { outcome: "saved" }),
    });
    const restored = { src: "blob:http://panel/1", stem: "image-1", blob: new Blob([Buffer.from(PNG, "base64")], { type: "image/png" }) };
    expect(await actions.download(restored, "Download image")).toEqual({ outcome: "saved" });
    expect(asked.map(({ fileName, base64 }) => [fileName, base64])).toEqual([["image-1.png", PNG]]);
    expect(clicked).toEqual([]);
    expect(await actions.copy(restored)).toBe("image");
    expect(written).toEqual([[{ "image/png": restored.blob }]]);
    // An address the panel made for itself is never copied: it means nothing outside the panel.
    expect(await actions.copy({ src: "blob:http://panel/2" })).toBe("failed");
    expect(texts).toEqual([]);
  });
});
