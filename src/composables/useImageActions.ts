import { ref } from "vue";
import { blobToBase64, dataUrlToBlob } from "../history/historyRecord.ts";
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
 * An image an action works on: `src` shows it; `blob` is its bytes where the panel holds them (a
 * restored history image). A `data:` URL carries its bytes too; any other `src` is a remote image.
 */
export interface ActionImage {
  src: string;
  stem: string;
  blob?: Blob;
}

/** The bytes of an image the panel holds, or undefined for a remote image. */
const bytesOf = (image: Pick<ActionImage, "src" | "blob">) => image.blob ?? dataUrlToBlob(image.src);

/**
 * Download and copy for result images, the same for a fresh image and one restored from history.
 * An image we hold the bytes of is saved through the host's save dialog where the host has one; a
 * remote image, or a host without the dialog, is a browser download.
 */
export function useImageActions(globals: ImageActionGlobals = defaultGlobals()) {
  /** What the last copy or save said, for a status line (a browser download or a cancel says nothing). */
  const notice = ref<{ key: MessageKey; params?: Record<string, string> }>();
  // The type from the Blob or the data URL's header: no need to decode megabytes of base64 to name a file.
  const typeOf = (image: Pick<ActionImage, "src" | "blob">) => image.blob?.type || (/^data:([\w.+/-]+);/.exec(image.src)?.[1] ?? "image/png");
  const fileName = (image: ActionImage) => `${image.stem}.${extension(typeOf(image))}`;

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
  async function download(image: ActionImage, title: string): Promise<DownloadOutcome> {
    const name = fileName(image);
    if (globals.saveThroughHost && (image.blob || image.src.startsWith("data:"))) {
      const base64 = image.blob ? await blobToBase64(image.blob) : image.src.slice(image.src.indexOf(",") + 1);
      const saved = await globals.saveThroughHost({ title, fileName: name, extension: extension(typeOf(image)), base64 });
      if (saved) {
        notice.value = saved.outcome === "saved" ? { key: "viewer.saved" } : saved.outcome === "failed" ? { key: "viewer.notSaved", params: { reason: saved.reason } } : undefined;
        return saved;
      }
    }
    notice.value = undefined;
    return browserDownload(image.src, name);
  }

  /** Copies the image itself where the clipboard takes PNG, else a remote image's address. Resolves to what was copied. */
  async function copy(image: Pick<ActionImage, "src" | "blob">): Promise<"image" | "link" | "failed"> {
    const copied = await copyToClipboard(image);
    notice.value = { key: `viewer.copied.${copied}` };
    return copied;
  }

  async function copyToClipboard(image: Pick<ActionImage, "src" | "blob">): Promise<"image" | "link" | "failed"> {
    const blob = bytesOf(image);
    try {
      if (blob) {
        // Never the address of an image we hold: a blob: URL means nothing outside this panel.
        if (blob.type !== "image/png" || !globals.clipboard?.write || !globals.makeClipboardItem) return "failed";
        await globals.clipboard.write([globals.makeClipboardItem({ "image/png": blob })]);
        return "image";
      }
      if (!globals.clipboard?.writeText || image.src.startsWith("blob:")) return "failed";
      await globals.clipboard.writeText(image.src);
      return "link";
    } catch {
      return "failed";
    }
  }

  return { download, copy, fileName, notice };
}
