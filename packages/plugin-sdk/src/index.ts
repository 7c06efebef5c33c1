export { _getPluginId, _setPluginId } from "./pluginId.ts";
export {
  defineAssistantPlugin,
  defineModulePlugin,
  definePlugin,
  registerPlugin,
  type HostComponent,
  type PluginDefinition,
} from "./registry.ts";
export { emitPluginEvent, invokeHost, invokeOtherPlugin, invokePlugin, pluginWireName } from "./invoke.ts";
export { enterpriseGateway } from "./enterpriseGateway.ts";
export type * from "./gatewayTypes.ts";
export { createPluginLogger, log, type PluginLogEvent, type PluginLogger, type PluginLogLevel } from "./logger.ts";
export { pickHostFile, saveHostFile, type HostFileFilter } from "./hostFiles.ts";
export { _setToastEmitter, notify, type PluginNotification } from "./notify.ts";
export { getPluginSettings, savePluginSettings } from "./settings.ts";
