import type { CustomEndpointFacts, EndpointDescription, GatewayMode, QueueSettings } from "../../machines/index.ts";
import type { BaseUrlCheck } from "../endpoint/baseUrl.ts";
import type { Settings } from "../schemas/settings.ts";

/**
 * What the settings tell the panel's core: the queue's limits, the mode and custom endpoint facts
 * gateway selection resolves from (whether a key is set is the native backend's answer, which the
 * core holds), and the endpoint each new request captures.
 */
export function settingsEvent(settings: Settings, check: BaseUrlCheck): {
  type: "settings.changed";
  settings: QueueSettings;
  gateway: { type: "settings.changed"; mode: GatewayMode; custom: CustomEndpointFacts };
  endpoint: EndpointDescription;
} {
  const timeoutMs = settings.timeoutSeconds * 1000;
  return {
    type: "settings.changed",
    settings: { concurrency: settings.concurrency, timeoutMs, maxRetries: settings.maxRetries },
    gateway: {
      type: "settings.changed",
      mode: settings.mode,
      custom: check.ok ? { baseUrl: check.normalized, valid: true, keySet: false } : { baseUrl: settings.baseUrl || undefined, valid: false, keySet: false },
    },
    endpoint: {
      baseUrl: check.ok ? check.normalized : settings.baseUrl,
      apiType: settings.apiType,
      allowInsecureHttp: settings.allowInsecureHttp,
      timeoutMs,
      responsesModel: settings.responsesModel,
      ...(settings.streamPartials ? { partialImages: settings.partialImages } : {}),
    },
  };
}
