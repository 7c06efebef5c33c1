import type { CustomEndpointFacts, EndpointDescription, GatewayMode, ProfileEndpoints, QueueSettings } from "../../machines/index.ts";
import type { BaseUrlCheck } from "../endpoint/baseUrl.ts";
import { endpointOf } from "../profiles/endpointOf.ts";
import type { Profile } from "../schemas/profile.ts";
import { choiceProfileId, type Settings } from "../schemas/settings.ts";

/** The gateway machine's mode for a choice: a profile chosen by id is the custom endpoint, that profile. */
const modeOf = (choice: Settings["gateway"]): GatewayMode => (choiceProfileId(choice) ? "custom" : (choice as GatewayMode));

/** A profile's facts for gateway selection (whether a key is set is the native backend's answer, which the core holds). */
function factsOf(profile: Profile | undefined, check: BaseUrlCheck): CustomEndpointFacts {
  const named = profile ? { profileId: profile.id, profileName: profile.name } : {};
  return check.ok ? { ...named, baseUrl: check.normalized, valid: true, keySet: false } : { ...named, baseUrl: profile?.baseUrl || undefined, valid: false, keySet: false };
}

/**
 * What the settings tell the panel's core: the queue's limits, the mode and the facts of the
 * profile gateway selection resolves to (the chosen one, or the default one for Auto), the endpoint
 * each new request captures, and every profile's (what a compare target naming one captures).
 */
export function settingsEvent(settings: Settings, profile: Profile | undefined, checkOf: (profile: Profile | undefined) => BaseUrlCheck): {
  type: "settings.changed";
  settings: QueueSettings;
  gateway: { type: "settings.changed"; mode: GatewayMode; custom: CustomEndpointFacts };
  endpoint?: EndpointDescription;
  profiles: ProfileEndpoints;
} {
  const check = checkOf(profile);
  const endpoint = profile && endpointOf(profile, check);
  const profiles = Object.fromEntries(settings.profiles.map((each) => [each.id, { endpoint: endpointOf(each, checkOf(each)), facts: factsOf(each, checkOf(each)) }]));
  return {
    type: "settings.changed",
    settings: { concurrency: settings.concurrency, timeoutMs: (profile?.timeoutSeconds ?? 300) * 1000, maxRetries: settings.maxRetries },
    gateway: { type: "settings.changed", mode: modeOf(settings.gateway), custom: factsOf(profile, check) },
    ...(endpoint ? { endpoint } : {}),
    profiles,
  };
}
