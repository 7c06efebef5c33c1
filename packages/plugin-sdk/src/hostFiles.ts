import { hostInvoke } from "./hostIpc.ts";

export interface HostFileFilter {
  name: string;
  extensions: string[];
}

/** The host's save dialog; resolves to the chosen path, or null when the user cancels. */
export function saveHostFile(options: {
  title?: string;
  directory?: string;
  defaultName?: string;
  filters?: HostFileFilter[];
}): Promise<string | null> {
  return hostInvoke<string | null>("saveHostFile", "devkit_save_file", { ...options });
}

export function pickHostFile(options: { title?: string; directory?: string; filters?: HostFileFilter[] } = {}): Promise<string | null> {
  return hostInvoke<string | null>("pickHostFile", "devkit_pick_file", { ...options });
}
