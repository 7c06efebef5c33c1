import { hostInvoke } from "./hostIpc.ts";

/** As the published SDK types it; `filters` is a list of strings (the host's reading is not public). */
export interface HostFileDialogOptions {
  title?: string;
  directory?: string;
  filters?: string[];
  defaultName?: string;
}

// Every key is sent, null when unset, and nothing else: the same JSON the published SDK sends.

/** The host's save dialog; resolves to the chosen path, or null when the user cancels. */
export function saveHostFile(options: HostFileDialogOptions = {}): Promise<string | null> {
  return hostInvoke<string | null>("saveHostFile", "devkit_save_file", {
    title: options.title ?? null,
    directory: options.directory ?? null,
    defaultName: options.defaultName ?? null,
    filters: options.filters ?? null,
  });
}

/** The host's open dialog; resolves to the chosen path, or null when the user cancels. */
export function pickHostFile(options: HostFileDialogOptions = {}): Promise<string | null> {
  return hostInvoke<string | null>("pickHostFile", "devkit_pick_file", {
    title: options.title ?? null,
    directory: options.directory ?? null,
    filters: options.filters ?? null,
  });
}
