import * as z from "zod/mini";
import { NUMBER_SETTINGS } from "./numberSettings.ts";
import { repairFields } from "./repairFields.ts";
import { DEFAULT_MODEL } from "../../machines/rules/models.ts";
import { PARTIAL_IMAGES_MAX } from "../../machines/rules/requestInput.schema.ts";
import { parsePrices } from "../../machines/rules/pricing.ts";
import { DEFAULT_PRESET_ID, PRESET_IDS } from "../profiles/presets.ts";

// One endpoint profile as the panel keeps it. Never its key: the native backend keeps one per
// profile, bound to the origin it was saved for (`keyOrigin` only remembers which origin that was,
// so the settings can ask for the key again when the base URL moves elsewhere).

export const PROFILE_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const PROFILE_NAME_MAX = 60;
/** Header names an extra header may not use, as the native backend refuses them: credentials (the key
 * travels only in the profile's auth header) and the ones that frame the request. */
export const REFUSED_HEADERS = ["authorization", "proxy-authorization", "api-key", "x-goog-api-key", "cookie", "host", "content-length", "content-type", "transfer-encoding", "connection"];
export const EXTRA_HEADERS_MAX = 16;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
/** At most 1024 visible ASCII characters (spaces and tabs allowed), as the native backend takes them. */
const HEADER_VALUE = /^[\t\x20-\x7e]{0,1024}$/;

export const ExtraHeadersSchema = z.record(
  z.string().check(z.regex(HEADER_NAME), z.refine((name) => !REFUSED_HEADERS.includes(name.toLowerCase()))),
  z.string().check(z.regex(HEADER_VALUE)),
).check(z.refine((headers) => Object.keys(headers).length <= EXTRA_HEADERS_MAX));

export const ProfileSchema = z.object({
  id: z.string().check(z.regex(PROFILE_ID)),
  name: z.string().check(z.refine((name) => name.trim().length > 0), z.maxLength(PROFILE_NAME_MAX)),
  /** The preset it started from: which request fields its provider takes. */
  preset: z.enum(PRESET_IDS),
  baseUrl: z.string().check(z.maxLength(2_048)),
  auth: z.enum(["bearer", "api-key", "x-goog-api-key", "none"]),
  dialect: z.enum(["images", "responses", "azure", "chat", "siliconflow"]),
  /** Azure classic: the deployment name and API version, apart from the base URL. */
  deployment: z.string().check(z.regex(/^(?:[A-Za-z0-9_.-]{1,64})?$/)),
  apiVersion: z.string().check(z.regex(/^(?:[A-Za-z0-9.-]{1,32})?$/)),
  editUpload: z.enum(["multipart", "json"]),
  allowInsecureHttp: z.boolean(),
  extraHeaders: ExtraHeadersSchema,
  /** Mainline model that drives the image tool on the Responses dialect. */
  responsesModel: z.string().check(z.minLength(1), z.maxLength(100)),
  defaultModel: z.string().check(z.minLength(1), z.maxLength(100)),
  defaultSize: z.string().check(z.minLength(1), z.maxLength(20)),
  timeoutSeconds: z.number().check(z.int(), z.minimum(NUMBER_SETTINGS.timeoutSeconds.min), z.maximum(NUMBER_SETTINGS.timeoutSeconds.max)),
  /** Stream `partialImages` previews per image (each billed as extra output). */
  streamPartials: z.boolean(),
  partialImages: z.number().check(z.int(), z.minimum(1), z.maximum(PARTIAL_IMAGES_MAX)),
  /** Price lines overriding the defaults for estimates (machines/rules/pricing.ts). */
  prices: z.string().check(z.maxLength(4_000), z.refine((text) => parsePrices(text).ok)),
  /** The origin its key was saved for ("" when none was saved from this panel). */
  keyOrigin: z.string().check(z.maxLength(2_100)),
});
export type Profile = z.infer<typeof ProfileSchema>;

/** A profile's fields before its id and name are given. */
export const PROFILE_DEFAULTS: Omit<Profile, "id" | "name"> = {
  preset: DEFAULT_PRESET_ID,
  baseUrl: "",
  auth: "bearer",
  dialect: "images",
  deployment: "",
  apiVersion: "",
  editUpload: "multipart",
  allowInsecureHttp: false,
  extraHeaders: {},
  responsesModel: "gpt-4.1",
  defaultModel: DEFAULT_MODEL,
  defaultSize: "1024x1024",
  timeoutSeconds: 300,
  streamPartials: false,
  partialImages: 1,
  prices: "",
  keyOrigin: "",
};

/**
 * A stored profile repaired field by field; undefined when its id or name cannot be kept (without
 * them it cannot be chosen or told apart). `repaired` names the fields that fell back.
 */
export function repairProfile(stored: unknown): { profile: Profile; repaired: string[] } | undefined {
  const { value, repaired } = repairFields(() => ProfileSchema.shape, { id: "", name: "", ...PROFILE_DEFAULTS }, stored);
  if (!PROFILE_ID.test(value.id) || !value.name.trim()) return undefined;
  return { profile: value, repaired: repaired as string[] };
}
