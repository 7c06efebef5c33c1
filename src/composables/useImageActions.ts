import { ref } from "vue";
import { dataUrlToBlob } from "../history/historyRecord.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { saveThroughHost, type HostSave, type HostSaveRequest } from "../adapters/imageFile.ts";

export interface ImageActionGlobals {
  document: Document;
  clipboard?: Pick<Clipboard, "write" | "writeText">;
  makeClipboardItem?: (items: Record<string, Blob>) => ClipboardItem;
  /** The host's save dialog plus the native write; undefined when the host has no dialog. */
  saveThroughHost?: (request: HostSaveRequest) => Promise<HostSave | undefined>;
}

/** What a download did: saved through the host's dialog, cancelled there, failed, or handed to the browser. */
export type DownloadOutcome = HostSave | { outcome: "downloaded" };

const extension = (type: string) => (type === "image/jpeg" ? "jpg" : type.split("/")[1] ?? "png");

const defaultGlobals = (): ImageActionGlobals => ({
  document,
  clipboard: globalThis.navigator?.clipboard,
  makeClipboardItem: globalThis.ClipboardItem ? (items) => new ClipboardItem(items) : undefined,
  saveThroughHost,
});

/**
 * Download and copy for result images. An image we hold the bytes of is saved through the host's
 * save dialog where the host has one; a remote image, or a host without the dialog, is a browser
 * download.
 */
export function useImageActions(globals: ImageActionGlobals = defaultGlobals()) {
  /** What the last copy or save said, for a status line (a browser download or a cancel says nothing). */
  const notice = ref<{ key: MessageKey; params?: Record<string, string> }>();
  // The type from the data URL's header: no need to decode megabytes of base64 to name a file.
  const typeOf = (src: string) => /^data:([\w.+/-]+);/.exec(src)?.[1] ?? "image/png";
  const fileName = (stem: string, src: string) => `${stem}.${extension(typeOf(src))}`;

  function browserDownload(src: string, name: string): DownloadOutcome {
    const anchor = globals.document.createElement("a");
    anchor.href = src;
    anchor.download = name;
    anchor.rel = "noopener";
    globals.document.body.append(anchor);
    anchor.click();
    anchor.remove();
    return { outcome: "downloaded" };
  }

  /** `title` names the host's dialog. */
  async function download(src: string, stem: string, title: string): Promise<DownloadOutcome> {
    const name = fileName(stem, src);
    if (src.startsWith("data:") && globals.saveThroughHost) {
      const saved = await globals.saveThroughHost({ title, fileName: name, extension: extension(typeOf(src)), base64: src.slice(src.indexOf(",") + 1) });
      if (saved) {
        notice.value = saved.outcome === "saved" ? { key: "viewer.saved" } : saved.outcome === "failed" ? { key: "viewer.notSaved", params: { reason: saved.reason } } : undefined;
        return saved;
      }
    }
    notice.value = undefined;
    return browserDownload(src, name);
  }

  /** Copies the image itself where the clipboard takes PNG, else its address. Resolves to what was copied. */
  async function copy(src: string): Promise<"image" | "link" | "failed"> {
    const copied = await copyToClipboard(src);
    notice.value = { key: `viewer.copied.${copied}` };
    return copied;
  }

  async function copyToClipboard(src: string): Promise<"image" | "link" | "failed"> {
    const blob = dataUrlToBlob(src);
    try {
      if (blob) {
        if (blob.type !== "image/png" || !globals.clipboard?.write || !globals.makeClipboardItem) return "failed";
        await globals.clipboard.write([globals.makeClipboardItem({ "image/png": blob })]);
        return "image";
      }
      if (!globals.clipboard?.writeText) return "failed";
      await globals.clipboard.writeText(src);
      return "link";
    } catch {
      return "failed";
    }
  }

  return { download, copy, fileName, notice };
}
