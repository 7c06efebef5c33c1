import * as z from "zod/mini";
import { NUMBER_SETTINGS } from "./numberSettings.ts";
import { repairFields } from "./repairFields.ts";
import { DEFAULT_MODEL } from "../../machines/rules/models.ts";
import { PARTIAL_IMAGES_MAX } from "../../machines/rules/requestInput.schema.ts";
import { parsePrices } from "../../machines/rules/pricing.ts";

// Persisted panel settings. Never the API key: the native backend keeps it.

const buildSettingsSchema = () => z.object({
  mode: z.enum(["auto", "cloud", "custom", "mock"]),
  baseUrl: z.string().check(z.maxLength(2_048)),
  apiType: z.enum(["images", "responses"]),
  allowInsecureHttp: z.boolean(),
  responsesModel: z.string().check(z.minLength(1), z.maxLength(100)),
  defaultModel: z.string().check(z.minLength(1), z.maxLength(100)),
  defaultSize: z.string().check(z.minLength(1), z.maxLength(20)),
  timeoutSeconds: z.number().check(z.int(), z.minimum(NUMBER_SETTINGS.timeoutSeconds.min), z.maximum(NUMBER_SETTINGS.timeoutSeconds.max)),
  maxRetries: z.number().check(z.int(), z.minimum(NUMBER_SETTINGS.maxRetries.min), z.maximum(NUMBER_SETTINGS.maxRetries.max)),
  concurrency: z.number().check(z.int(), z.minimum(NUMBER_SETTINGS.concurrency.min), z.maximum(NUMBER_SETTINGS.concurrency.max)),
  /** Custom endpoint: stream `partialImages` previews per image (each billed as extra output). */
  streamPartials: z.boolean(),
  partialImages: z.number().check(z.int(), z.minimum(1), z.maximum(PARTIAL_IMAGES_MAX)),
  /** Price lines overriding the defaults for estimates (machines/rules/pricing.ts). */
  prices: z.string().check(z.maxLength(4_000), z.refine((text) => parsePrices(text).ok)),
});

let settingsSchema: ReturnType<typeof buildSettingsSchema> | undefined;
/** Built on first use: a first open with nothing stored builds it only when a setting is written. */
export const SettingsSchema = () => (settingsSchema ??= buildSettingsSchema());
export type Settings = z.infer<ReturnType<typeof buildSettingsSchema>>;

export const DEFAULT_SETTINGS: Settings = {
  mode: "auto",
  baseUrl: "",
  apiType: "images",
  allowInsecureHttp: false,
  responsesModel: "gpt-4.1",
  defaultModel: DEFAULT_MODEL,
  defaultSize: "1024x1024",
  timeoutSeconds: 300,
  maxRetries: 2,
  concurrency: 2,
  streamPartials: false,
  partialImages: 1,
  prices: "",
};

/** Stored settings, repaired field by field (unknown fields, a stray key-like value included, are dropped). */
export function repairSettings(stored: unknown): { settings: Settings; repaired: (keyof Settings)[] } {
  const { value, repaired } = repairFields(() => SettingsSchema().shape, DEFAULT_SETTINGS, stored);
  return { settings: value, repaired };
}
