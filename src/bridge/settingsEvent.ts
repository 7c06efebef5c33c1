import type { CustomEndpointFacts, EndpointDescription, GatewayMode, QueueSettings } from "../../machines/index.ts";
import type { BaseUrlCheck } from "../endpoint/baseUrl.ts";
import { endpointOf } from "../profiles/endpointOf.ts";
import type { Profile } from "../schemas/profile.ts";
import { choiceProfileId, type Settings } from "../schemas/settings.ts";

/** The gateway machine's mode for a choice: a profile chosen by id is the custom endpoint, that profile. */
const modeOf = (choice: Settings["gateway"]): GatewayMode => (choiceProfileId(choice) ? "custom" : (choice as GatewayMode));

/**
 * What the settings tell the panel's core: the queue's limits, the mode and the facts of the
 * profile gateway selection resolves to (the chosen one, or the default one for Auto; whether a key
 * is set is the native backend's answer, which the core holds), and the endpoint each new request captures.
 */
export function settingsEvent(settings: Settings, profile: Profile | undefined, check: BaseUrlCheck): {
  type: "settings.changed";
  settings: QueueSettings;
  gateway: { type: "settings.changed"; mode: GatewayMode; custom: CustomEndpointFacts };
  endpoint?: EndpointDescription;
} {
  const endpoint = profile && endpointOf(profile, check);
  const named = profile ? { profileId: profile.id, profileName: profile.name } : {};
  return {
    type: "settings.changed",
    settings: { concurrency: settings.concurrency, timeoutMs: (profile?.timeoutSeconds ?? 300) * 1000, maxRetries: settings.maxRetries },
    gateway: {
      type: "settings.changed",
      mode: modeOf(settings.gateway),
      custom: check.ok ? { ...named, baseUrl: check.normalized, valid: true, keySet: false } : { ...named, baseUrl: profile?.baseUrl || undefined, valid: false, keySet: false },
    },
    ...(endpoint ? { endpoint } : {}),
  };
}
