import { invokePlugin, saveHostFile } from "@haloforge/plugin-sdk";
import * as z from "zod/mini";
import { redact, redactError } from "../../machines/index.ts";

// Saving a result image through the host: its save dialog answers a path, and the native backend
// writes the bytes there (save_image; the web view cannot write files).

// Built on the first save's answer (z.lazy), not at the panel's evaluation.
const SavedSchema = z.lazy(() => z.looseObject({ ok: z.boolean(), error: z.optional(z.looseObject({ message: z.string() })) }));

/** What became of a save: written, the user closed the dialog, or refused (a redacted reason). */
export type HostSave = { outcome: "saved" } | { outcome: "cancelled" } | { outcome: "failed"; reason: string };

export interface HostSaveRequest {
  /** The native write: an image (default), or the history export (a ZIP). */
  command?: "save_image" | "save_history_archive";
  title: string;
  fileName: string;
  extension: string;
  base64: string;
}

/**
 * Saves through the host's dialog, or resolves to undefined when this host has no save dialog
 * (a plain browser, an older host): the caller then falls back to a browser download.
 */
export async function saveThroughHost({ command = "save_image", title, fileName, extension, base64 }: HostSaveRequest): Promise<HostSave | undefined> {
  let path: string | null;
  try {
    path = await saveHostFile({ title, defaultName: fileName, filters: [extension] });
  } catch {
    return undefined;
  }
  if (path === null) return { outcome: "cancelled" };
  try {
    const answer = SavedSchema.safeParse(await invokePlugin(command, { path, base64 }));
    if (!answer.success) return { outcome: "failed", reason: "unexpected answer from the native backend" };
    return answer.data.ok ? { outcome: "saved" } : { outcome: "failed", reason: redact(answer.data.error?.message ?? "refused") };
  } catch (error) {
    return { outcome: "failed", reason: redactError(error) };
  }
}
