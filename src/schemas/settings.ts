import * as z from "zod/mini";
import { NUMBER_SETTINGS } from "./numberSettings.ts";
import { PROFILE_ID, repairProfile, type Profile } from "./profile.ts";
import { repairFields } from "./repairFields.ts";

// Persisted panel settings: what is global (the gateway choice, the queue's limits) and the
// endpoint profiles, each with its own endpoint, defaults, timeout, streaming and prices. Never an
// API key: the native backend keeps one per profile.

/** The gateway choice: Auto, the managed gateway (HaloForge Cloud), one profile by id, or the mock (development builds). */
export type GatewayChoice = "auto" | "cloud" | "mock" | `profile:${string}`;
const GATEWAY_CHOICE = /^(?:auto|cloud|mock|profile:[A-Za-z0-9_-]{1,64})$/;
export const profileChoice = (id: string): GatewayChoice => `profile:${id}`;
/** The profile id a choice names, if it names one. */
export const choiceProfileId = (choice: GatewayChoice): string | undefined => (choice.startsWith("profile:") ? choice.slice("profile:".length) : undefined);

// The global fields, repaired field by field; the profiles are repaired one by one.
export const GlobalSettingsSchema = z.object({
  gateway: z.string().check(z.regex(GATEWAY_CHOICE)),
  /** The profile Auto picks. */
  defaultProfileId: z.string().check(z.regex(PROFILE_ID)),
  maxRetries: z.number().check(z.int(), z.minimum(NUMBER_SETTINGS.maxRetries.min), z.maximum(NUMBER_SETTINGS.maxRetries.max)),
  concurrency: z.number().check(z.int(), z.minimum(NUMBER_SETTINGS.concurrency.min), z.maximum(NUMBER_SETTINGS.concurrency.max)),
  /** An older version's key waits to be moved to this profile (`adopt_legacy_key`, once). */
  legacyKeyProfileId: z.string().check(z.regex(/^(?:[A-Za-z0-9_-]{1,64})?$/)),
});
type GlobalSettings = Omit<z.infer<typeof GlobalSettingsSchema>, "gateway"> & { gateway: GatewayChoice };

export interface Settings extends GlobalSettings {
  profiles: Profile[];
}

/** The first profile a new user has: an OpenAI-compatible endpoint with no base URL yet. */
export const FIRST_PROFILE_ID = "default";

export const DEFAULT_GLOBALS: GlobalSettings = {
  gateway: "auto",
  defaultProfileId: FIRST_PROFILE_ID,
  maxRetries: 2,
  concurrency: 2,
  legacyKeyProfileId: "",
};

const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
export const nameTaken = (profiles: readonly Profile[], name: string, except?: string) => profiles.some((profile) => profile.id !== except && sameName(profile.name, name));

/**
 * Stored settings, repaired: each global field on its own, each profile on its own (one whose id or
 * name is broken, or repeats an earlier one's, is dropped), then the choices that name a profile
 * no longer there go back to Auto and the first profile. `repaired` names what fell back.
 */
export function repairSettings(stored: unknown, firstProfile: () => Profile): { settings: Settings; repaired: string[] } {
  const { value, repaired } = repairFields(() => GlobalSettingsSchema.shape, DEFAULT_GLOBALS as z.infer<typeof GlobalSettingsSchema>, stored);
  const names: string[] = [...repaired];
  const storedProfiles = (stored as { profiles?: unknown } | null)?.profiles;
  const profiles: Profile[] = [];
  if (Array.isArray(storedProfiles)) {
    for (const item of storedProfiles) {
      const kept = repairProfile(item);
      if (!kept || profiles.some((profile) => profile.id === kept.profile.id || sameName(profile.name, kept.profile.name))) {
        names.push("profiles");
        continue;
      }
      profiles.push(kept.profile);
      names.push(...kept.repaired.map((field) => `profiles.${field}`));
    }
  } else if (storedProfiles !== undefined) names.push("profiles");
  if (profiles.length === 0 && !Array.isArray(storedProfiles)) profiles.push(firstProfile());
  const settings: Settings = { ...(value as GlobalSettings), profiles };
  const chosen = choiceProfileId(settings.gateway);
  if (chosen && !profiles.some((profile) => profile.id === chosen)) {
    settings.gateway = "auto";
    names.push("gateway");
  }
  if (!profiles.some((profile) => profile.id === settings.defaultProfileId) && profiles[0]) {
    if (stored !== undefined && "defaultProfileId" in Object(stored)) names.push("defaultProfileId");
    settings.defaultProfileId = profiles[0].id;
  }
  return { settings, repaired: [...new Set(names)] };
}
