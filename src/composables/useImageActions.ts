import { dataUrlToBlob } from "../history/historyRecord.ts";

export interface ImageActionGlobals {
  document: Document;
  clipboard?: Pick<Clipboard, "write" | "writeText">;
  makeClipboardItem?: (items: Record<string, Blob>) => ClipboardItem;
}

const extension = (type: string) => (type === "image/jpeg" ? "jpg" : type.split("/")[1] ?? "png");

/**
 * Download and copy for result images. Downloads go through the browser: the host's save dialog
 * (SDK saveHostFile) only returns a path and no native command writes image bytes to it yet.
 */
export function useImageActions(globals: ImageActionGlobals = { document, clipboard: globalThis.navigator?.clipboard, makeClipboardItem: globalThis.ClipboardItem ? (items) => new ClipboardItem(items) : undefined }) {
  const fileName = (stem: string, src: string) => `${stem}.${extension(dataUrlToBlob(src)?.type ?? "image/png")}`;

  function download(src: string, stem: string) {
    const anchor = globals.document.createElement("a");
    anchor.href = src;
    anchor.download = fileName(stem, src);
    anchor.rel = "noopener";
    globals.document.body.append(anchor);
    anchor.click();
    anchor.remove();
  }

  /** Copies the image itself where the clipboard takes PNG, else its address. Resolves to what was copied. */
  async function copy(src: string): Promise<"image" | "link" | "failed"> {
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

  return { download, copy, fileName };
}
