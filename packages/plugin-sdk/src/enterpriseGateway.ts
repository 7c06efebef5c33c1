import type {
  EnterpriseGatewayApi,
  GatewayImageGenerationResult,
  GatewayOutputAssetList,
  PluginGatewayImageEditRequest,
  PluginGatewayImageRequest,
} from "./gatewayTypes.ts";
import { _getPluginId } from "./pluginId.ts";

/** The host bridge's gateway member: every call takes the plugin id first. */
interface HostEnterpriseGateway {
  generateImages(pluginId: string, request: PluginGatewayImageRequest): Promise<GatewayImageGenerationResult>;
  editImages(pluginId: string, request: PluginGatewayImageEditRequest): Promise<GatewayImageGenerationResult>;
  listOutputs(pluginId: string, limit?: number): Promise<GatewayOutputAssetList>;
}

declare global {
  interface Window {
    __HALOFORGE_PLUGIN_HOST__?: { version?: unknown; enterpriseGateway?: HostEnterpriseGateway };
  }
}

const BRIDGE_VERSION = 1;

/**
 * The host-managed image gateway (HaloForge Cloud or Enterprise Server session). Synchronous:
 * throws when the plugin id is unset or the host offers no bridge, so callers can probe with it.
 */
export function enterpriseGateway(): EnterpriseGatewayApi {
  const pluginId = _getPluginId();
  if (!pluginId) throw new Error("[plugin-sdk] enterpriseGateway: plugin ID not set. Did you call registerPlugin()?");
  const bridge = typeof window === "undefined" ? undefined : window.__HALOFORGE_PLUGIN_HOST__;
  const gateway = bridge?.version === BRIDGE_VERSION ? bridge.enterpriseGateway : undefined;
  if (!gateway) throw new Error("[plugin-sdk] enterpriseGateway: host managed image gateway bridge is unavailable.");
  return {
    generateImages: (request) => gateway.generateImages(pluginId, request),
    editImages: (request) => gateway.editImages(pluginId, request),
    listOutputs: (limit) => gateway.listOutputs(pluginId, limit),
  };
}
