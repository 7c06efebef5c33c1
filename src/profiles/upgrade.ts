import * as z from "zod/mini";
import { PROFILE_DEFAULTS, ProfileSchema, type Profile } from "../schemas/profile.ts";
import { repairFields } from "../schemas/repairFields.ts";
import { DEFAULT_GLOBALS, FIRST_PROFILE_ID, GlobalSettingsSchema, profileChoice, type GatewayChoice, type Settings } from "../schemas/settings.ts";
import { checkBaseUrl } from "../endpoint/baseUrl.ts";

// The settings of the version before endpoint profiles (`hfmig.settings.v1`): one custom endpoint.
// Its endpoint, defaults, timeout, streaming and prices become the profile "default"; its key,
// kept natively without a profile, is moved to that profile once (`adopt_legacy_key`).

const shape = ProfileSchema.shape;
const LegacySettingsSchema = z.object({
  mode: z.enum(["auto", "cloud", "custom", "mock"]),
  baseUrl: shape.baseUrl,
  apiType: z.enum(["images", "responses"]),
  allowInsecureHttp: shape.allowInsecureHttp,
  responsesModel: shape.responsesModel,
  defaultModel: shape.defaultModel,
  defaultSize: shape.defaultSize,
  timeoutSeconds: shape.timeoutSeconds,
  maxRetries: GlobalSettingsSchema.shape.maxRetries,
  concurrency: GlobalSettingsSchema.shape.concurrency,
  streamPartials: shape.streamPartials,
  partialImages: shape.partialImages,
  prices: shape.prices,
});
type LegacySettings = z.infer<typeof LegacySettingsSchema>;

const LEGACY_DEFAULTS: LegacySettings = {
  mode: "auto",
  baseUrl: PROFILE_DEFAULTS.baseUrl,
  apiType: "images",
  allowInsecureHttp: PROFILE_DEFAULTS.allowInsecureHttp,
  responsesModel: PROFILE_DEFAULTS.responsesModel,
  defaultModel: PROFILE_DEFAULTS.defaultModel,
  defaultSize: PROFILE_DEFAULTS.defaultSize,
  timeoutSeconds: PROFILE_DEFAULTS.timeoutSeconds,
  maxRetries: DEFAULT_GLOBALS.maxRetries,
  concurrency: DEFAULT_GLOBALS.concurrency,
  streamPartials: PROFILE_DEFAULTS.streamPartials,
  partialImages: PROFILE_DEFAULTS.partialImages,
  prices: PROFILE_DEFAULTS.prices,
};

const MODE_TO_CHOICE: Record<LegacySettings["mode"], GatewayChoice> = { auto: "auto", cloud: "cloud", custom: profileChoice(FIRST_PROFILE_ID), mock: "mock" };

/** The origin a base URL calls, or "" when it breaks the URL rules. */
export function originOf(baseUrl: string, allowInsecureHttp: boolean): string {
  const check = checkBaseUrl(baseUrl, allowInsecureHttp);
  return check.ok ? new URL(check.normalized).origin : "";
}

/**
 * The settings an older version stored, as profiles: every field it kept is kept (a broken one
 * falls back on its own, named in `repaired`), and the old key waits to be moved to "default".
 */
export function upgradeLegacySettings(stored: unknown, name: string): { settings: Settings; repaired: string[] } {
  const { value: old, repaired } = repairFields(() => LegacySettingsSchema.shape, LEGACY_DEFAULTS, stored);
  const profile: Profile = {
    ...PROFILE_DEFAULTS,
    id: FIRST_PROFILE_ID,
    name,
    baseUrl: old.baseUrl,
    dialect: old.apiType,
    allowInsecureHttp: old.allowInsecureHttp,
    responsesModel: old.responsesModel,
    defaultModel: old.defaultModel,
    defaultSize: old.defaultSize,
    timeoutSeconds: old.timeoutSeconds,
    streamPartials: old.streamPartials,
    partialImages: old.partialImages,
    prices: old.prices,
  };
  const settings: Settings = {
    ...DEFAULT_GLOBALS,
    gateway: MODE_TO_CHOICE[old.mode],
    defaultProfileId: FIRST_PROFILE_ID,
    maxRetries: old.maxRetries,
    concurrency: old.concurrency,
    legacyKeyProfileId: FIRST_PROFILE_ID,
    profiles: [profile],
  };
  return { settings, repaired };
}
