import { ref } from "vue";
import { saveThroughHost, type HostSave, type HostSaveRequest } from "../adapters/imageFile.ts";
import { blobToBase64 } from "../history/historyRecord.ts";
import { bytesOf, ZIP_LIMITS } from "../history/zipFormat.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { useHistoryStore } from "../stores/history.store.ts";
import { useI18n } from "./useI18n.ts";

export interface TransferGlobals {
  document: Document;
  /** The host's save dialog plus the native write; resolves undefined where the host has none. */
  saveThroughHost: (request: HostSaveRequest) => Promise<HostSave | undefined>;
  createUrl: (blob: Blob) => string;
  revokeUrl: (url: string) => void;
  now: () => number;
}

const defaultGlobals = (): TransferGlobals => ({ document, saveThroughHost, createUrl: (blob) => URL.createObjectURL(blob), revokeUrl: (url) => URL.revokeObjectURL(url), now: () => Date.now() });

/**
 * History export and import: the ZIP goes out through the host's save dialog (a browser download
 * where there is none) and comes in from a file the user picks. Each outcome is one sentence in
 * `status`; a refused import leaves history as it was.
 */
export function useHistoryTransfer(globals: TransferGlobals = defaultGlobals()) {
  const history = useHistoryStore();
  const t = useI18n();
  const status = ref<{ key: MessageKey; params?: Record<string, string | number>; tone: "ok" | "bad" }>();
  const busy = ref(false);

  async function exportHistory(ids?: readonly string[]) {
    busy.value = true;
    try {
      const built = await history.exportZip(ids);
      if (!built.ok) return void (status.value = { key: built.problem === "empty" ? "transfer.empty" : "transfer.exportTooLarge", tone: "bad" });
      const fileName = `image-history-${new Date(globals.now()).toISOString().slice(0, 10)}.zip`;
      const blob = new Blob([built.bytes as Uint8Array<ArrayBuffer>], { type: "application/zip" });
      const saved = await globals.saveThroughHost({ command: "save_history_archive", title: t("transfer.export"), fileName, extension: "zip", base64: await blobToBase64(blob) });
      if (saved?.outcome === "cancelled") return void (status.value = undefined);
      if (saved?.outcome === "failed") return void (status.value = { key: "transfer.notSaved", params: { reason: saved.reason }, tone: "bad" });
      if (!saved) download(blob, fileName);
      status.value = { key: "transfer.exported", params: { count: built.count }, tone: "ok" };
    } finally {
      busy.value = false;
    }
  }

  function download(blob: Blob, name: string) {
    const url = globals.createUrl(blob);
    const anchor = globals.document.createElement("a");
    anchor.href = url;
    anchor.download = name;
    globals.document.body.append(anchor);
    anchor.click();
    anchor.remove();
    globals.revokeUrl(url);
  }

  async function importHistory(file: Blob) {
    // Refused before a byte is read: a file over the limit is never loaded into memory.
    if (file.size > ZIP_LIMITS.zipBytes) return void (status.value = { key: "transfer.problem.tooLarge", tone: "bad" });
    busy.value = true;
    try {
      let bytes: Uint8Array;
      try {
        bytes = await bytesOf(file);
      } catch {
        return void (status.value = { key: "transfer.unreadable", tone: "bad" });
      }
      const report = await history.importZip(bytes);
      if (!report.ok) return void (status.value = { key: `transfer.problem.${report.problem}`, tone: "bad" });
      const { added, skipped, refused } = report;
      status.value = { key: refused ? "transfer.importedRefused" : "transfer.imported", params: { added, skipped, refused }, tone: refused ? "bad" : "ok" };
    } finally {
      busy.value = false;
    }
  }

  return { status, busy, exportHistory, importHistory };
}
