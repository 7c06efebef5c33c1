import type {
  EnterpriseGatewayApi,
  GatewayImageGenerationResult,
  GatewayOutputAssetList,
  PluginGatewayImageEditRequest,
  PluginGatewayImageRequest,
} from "./gatewayTypes.ts";
import { requirePluginId } from "./pluginId.ts";

/** The host bridge's gateway member: every call takes the plugin id first. */
export interface HostEnterpriseGateway {
  generateImages(pluginId: string, request: PluginGatewayImageRequest): Promise<GatewayImageGenerationResult>;
  editImages(pluginId: string, request: PluginGatewayImageEditRequest): Promise<GatewayImageGenerationResult>;
  listOutputs(pluginId: string, limit?: number): Promise<GatewayOutputAssetList>;
}

/** `window.__HALOFORGE_PLUGIN_HOST__`; the other members (deepLinks, navigation, …) are not used here. */
export interface HostPluginBridge {
  version?: unknown;
  enterpriseGateway?: HostEnterpriseGateway;
  [member: string]: unknown;
}

declare global {
  interface Window {
    __HALOFORGE_PLUGIN_HOST__?: HostPluginBridge;
  }
}

const BRIDGE_VERSION = 1;

/**
 * The host-managed image gateway (the signed-in HaloForge Cloud or Enterprise Server session; tokens
 * never reach the plugin). Synchronous and read on every call, so callers probe availability by
 * calling it: it throws when the plugin id is unset (checked first) or the host offers no version-1
 * bridge with a gateway.
 */
export function enterpriseGateway(): EnterpriseGatewayApi {
  const pluginId = requirePluginId("enterpriseGateway");
  const bridge = typeof window === "undefined" ? undefined : window.__HALOFORGE_PLUGIN_HOST__;
  const gateway = bridge?.version === BRIDGE_VERSION ? bridge.enterpriseGateway : undefined;
  if (!gateway) throw new Error("[plugin-sdk] enterpriseGateway: host managed image gateway bridge is unavailable.");
  return {
    generateImages: (request) => gateway.generateImages(pluginId, request),
    editImages: (request) => gateway.editImages(pluginId, request),
    listOutputs: (limit) => gateway.listOutputs(pluginId, limit),
  };
}
