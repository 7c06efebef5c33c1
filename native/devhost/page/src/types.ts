/** Shapes of the host globals the dev page installs. */

export type InvokeArgs = Record<string, unknown> | undefined;

export interface TauriInternals {
  invoke(cmd: string, args?: InvokeArgs, options?: unknown): Promise<unknown>;
  transformCallback(callback?: (response: unknown) => void, once?: boolean): number;
  unregisterCallback(id: number): void;
  runCallback(id: number, data: unknown): void;
  callbacks: Map<number, (data: unknown) => void>;
  convertFileSrc(filePath: string, protocol?: string): string;
  metadata: { currentWindow: { label: string }; currentWebview: { windowLabel: string; label: string } };
}

export interface TauriEventInternals {
  unregisterListener(event: string, eventId: number): void;
}

/** A React component as the host renders it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HostComponent = (props: any) => unknown;

export interface PluginDefinition {
  _type: "feature" | "module" | "assistant";
  slots?: Record<string, HostComponent>;
  panel?: HostComponent;
  onMount?: () => void;
  onUnmount?: () => void;
}

export interface PluginRegistry {
  register(pluginId: string, definition: PluginDefinition): void;
  get(pluginId: string): PluginDefinition | undefined;
  getAll(): Map<string, PluginDefinition>;
}

export interface EnterpriseGatewayBridge {
  generateImages(pluginId: string, request: unknown): Promise<unknown>;
  editImages(pluginId: string, request: unknown): Promise<unknown>;
  listOutputs(pluginId: string, limit?: number): Promise<unknown>;
}

export interface HostBridge {
  version: 1;
  enterpriseGateway: EnterpriseGatewayBridge;
}

export type Session = "signedOut" | "cloud" | "enterprise";

/** DEV HOST ONLY: which host bridge the page offers (see hostBridge.ts, setBridgeMode). */
export type BridgeMode = "present" | "missing" | "throws" | "malformed";

/**
 * DEV HOST ONLY — the real HaloForge bridge has no session hint. A plugin
 * may read this defensively to exercise a future hint; it must never require it.
 */
export interface DevHostHint {
  devHostOnly: true;
  session: Session;
}
