// @haloforge/plugin-sdk, wire-compatible with the published SDK 0.2.16 (see README.md).
export { _getPluginId, _setPluginId } from "./pluginId.ts";
export {
  defineAssistantPlugin,
  defineModulePlugin,
  definePlugin,
  registerPlugin,
  type AssistantPluginOptions,
  type FeaturePluginOptions,
  type HostComponent,
  type ModulePluginOptions,
  type PluginDefinition,
} from "./registry.ts";
export { emitPluginEvent, invokeHost, invokeOtherPlugin, invokePlugin, pluginWireName } from "./invoke.ts";
export { enterpriseGateway, type HostEnterpriseGateway, type HostPluginBridge } from "./enterpriseGateway.ts";
export type * from "./gatewayTypes.ts";
export { createPluginLogger, log, type PluginLogger, type PluginLogLevel, type PluginLogOptions } from "./logger.ts";
export { pickHostFile, saveHostFile, type HostFileDialogOptions } from "./hostFiles.ts";
export { _setToastEmitter, notify, type NotifyOptions } from "./notify.ts";
export { getPluginSettings, savePluginSettings } from "./settings.ts";
export { listenHostEvent } from "./events.ts";
