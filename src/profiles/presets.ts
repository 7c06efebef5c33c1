// The providers a profile can start from, described with the field names and `authType` values of
// HaloForge's own AI provider catalog (`baseUrl` with `{resource}` placeholders, `apiCompatibility`,
// `authType`, `modelsListPath`), so a user meets the same words in the host and here. Each preset
// also says which request fields its provider takes (machines/rules/providerFields.ts): the composer offers only those, and a request
// built for the profile leaves the others out.

import { OPENAI_FIELDS, type ProviderFields, type RatioTerms } from "../../machines/rules/providerFields.ts";

/** The catalog's auth styles; `none` for local servers. */
export type AuthType = "bearer" | "header-api-key" | "x-goog-api-key" | "none";
/** The native backend's names for them (the endpoint wire's `auth`). */
export type WireAuth = "bearer" | "api-key" | "x-goog-api-key" | "none";
export type Dialect = "images" | "responses" | "azure" | "chat" | "siliconflow";

export const AUTH_TO_WIRE: Record<AuthType, WireAuth> = { bearer: "bearer", "header-api-key": "api-key", "x-goog-api-key": "x-goog-api-key", none: "none" };

export interface ProfilePreset {
  id: string;
  /** A provider's own name; the two generic presets are worded by the panel (`profiles.preset.<id>`). */
  name?: string;
  category: "official" | "aggregator" | "local" | "custom";
  baseUrl: string;
  apiCompatibility: "openai" | "azure-openai" | "openai-chat" | "siliconflow";
  authType: AuthType;
  modelsListPath?: string;
  dialect: Dialect;
  editUpload: "multipart" | "json";
  /** Azure classic: the deployment and API version travel as their own fields. */
  apiVersion?: string;
  models: readonly string[];
  defaultModel: string;
  defaultSize: string;
  fields: ProviderFields;
}

const fields = (more: Partial<ProviderFields>): ProviderFields => ({ ...OPENAI_FIELDS, ...more });
/** Only model, prompt, n, size and response format: everything else is refused as an unknown field. */
const MINIMAL = fields({ quality: false, outputFormat: false, background: false, inputFidelity: false, edits: false, mask: false, streaming: false });

/** xAI's `aspect_ratio` values and `resolution`s, as its API spells them ("auto": it picks the ratio). */
const XAI_TERMS: RatioTerms = {
  ratios: ["auto", "1:1", "3:2", "2:3", "4:3", "3:4", "16:9", "9:16", "2:1", "1:2", "19.5:9", "9:19.5", "20:9", "9:20"],
  resolutions: ["1k", "2k"],
};
/** OpenRouter's `image_config` for Google's Gemini image models (`google/gemini-…-image…`). */
const GEMINI_IMAGE_TERMS: RatioTerms = {
  ratios: ["1:1", "3:2", "2:3", "4:3", "3:4", "5:4", "4:5", "16:9", "9:16", "21:9"],
  resolutions: ["1K", "2K", "4K"],
  models: ["google/gemini-"],
};

export const PROFILE_PRESETS = [
  {
    id: "openai",
    name: "OpenAI",
    category: "official",
    baseUrl: "https://api.openai.com/v1",
    apiCompatibility: "openai",
    authType: "bearer",
    modelsListPath: "/models",
    dialect: "images",
    editUpload: "multipart",
    models: ["gpt-image-2", "gpt-image-1.5", "gpt-image-1", "gpt-image-1-mini"],
    defaultModel: "gpt-image-2",
    defaultSize: "1024x1024",
    fields: OPENAI_FIELDS,
  },
  {
    id: "azure-openai",
    name: "Azure OpenAI",
    category: "official",
    baseUrl: "https://{resource}.openai.azure.com/openai/v1",
    apiCompatibility: "openai",
    authType: "header-api-key",
    modelsListPath: "/models",
    dialect: "images",
    editUpload: "multipart",
    models: ["gpt-image-1", "gpt-image-1-mini"],
    defaultModel: "gpt-image-1",
    defaultSize: "1024x1024",
    fields: OPENAI_FIELDS,
  },
  {
    id: "azure-openai-classic",
    category: "official",
    baseUrl: "https://{resource}.openai.azure.com/openai",
    apiCompatibility: "azure-openai",
    authType: "header-api-key",
    dialect: "azure",
    editUpload: "multipart",
    apiVersion: "2025-04-01-preview",
    models: ["gpt-image-1", "gpt-image-1-mini"],
    defaultModel: "gpt-image-1",
    defaultSize: "1024x1024",
    fields: OPENAI_FIELDS,
  },
  {
    id: "google-gemini",
    name: "Google Gemini",
    category: "official",
    baseUrl: "https://generativelanguage.googleapis.com/v1beta/openai",
    apiCompatibility: "openai",
    authType: "bearer",
    modelsListPath: "/models",
    dialect: "images",
    editUpload: "multipart",
    models: ["imagen-4.0-generate-001", "imagen-4.0-fast-generate-001", "imagen-4.0-ultra-generate-001"],
    defaultModel: "imagen-4.0-generate-001",
    defaultSize: "1024x1024",
    fields: fields({ ...MINIMAL, maxCount: 4 }),
  },
  {
    id: "openrouter",
    name: "OpenRouter",
    category: "aggregator",
    baseUrl: "https://openrouter.ai/api/v1",
    apiCompatibility: "openai-chat",
    authType: "bearer",
    modelsListPath: "/models?output_modalities=image",
    dialect: "chat",
    editUpload: "json",
    models: ["google/gemini-2.5-flash-image", "openai/gpt-5-image-mini"],
    defaultModel: "google/gemini-2.5-flash-image",
    defaultSize: "auto",
    // Gemini image models take `image_config` (aspect ratio, 1K/2K/4K); other image models there take no size.
    fields: fields({ sizes: "ratio", ratioTerms: GEMINI_IMAGE_TERMS, quality: false, outputFormat: false, background: false, inputFidelity: false, maxCount: 1, mask: false }),
  },
  {
    id: "xai",
    name: "xAI",
    category: "official",
    baseUrl: "https://api.x.ai/v1",
    apiCompatibility: "openai",
    authType: "bearer",
    modelsListPath: "/models",
    dialect: "images",
    editUpload: "json",
    models: ["grok-imagine-image", "grok-imagine-image-pro"],
    defaultModel: "grok-imagine-image",
    defaultSize: "auto",
    // Refuses size, style and quality; takes its own `aspect_ratio` and `resolution`.
    fields: fields({ sizes: "ratio", ratioTerms: XAI_TERMS, quality: false, outputFormat: false, background: false, inputFidelity: false, edits: false, mask: false, streaming: false }),
  },
  {
    id: "siliconflow",
    name: "SiliconFlow",
    category: "aggregator",
    baseUrl: "https://api.siliconflow.cn/v1",
    apiCompatibility: "siliconflow",
    authType: "bearer",
    modelsListPath: "/models?type=image",
    dialect: "siliconflow",
    editUpload: "json",
    models: ["Kwai-Kolors/Kolors", "Qwen/Qwen-Image"],
    defaultModel: "Kwai-Kolors/Kolors",
    defaultSize: "1024x1024",
    fields: fields({ quality: false, outputFormat: false, background: false, inputFidelity: false, maxCount: 4, mask: false, streaming: false, seed: true, negativePrompt: true }),
  },
  {
    id: "volcengine-ark",
    name: "Volcengine Ark",
    category: "official",
    baseUrl: "https://ark.cn-beijing.volces.com/api/v3",
    apiCompatibility: "openai",
    authType: "bearer",
    modelsListPath: "/models",
    dialect: "images",
    editUpload: "json",
    models: ["doubao-seedream-4-5-251128", "doubao-seedream-4-0-250828"],
    defaultModel: "doubao-seedream-4-5-251128",
    defaultSize: "2K",
    fields: fields({ sizes: "tiers", sizeChoices: ["2K", "4K"], quality: false, outputFormat: false, background: false, inputFidelity: false, maxCount: 1, mask: false, streaming: false, seed: true }),
  },
  {
    id: "openai-compatible",
    category: "custom",
    baseUrl: "",
    apiCompatibility: "openai",
    authType: "bearer",
    modelsListPath: "/models",
    dialect: "images",
    editUpload: "multipart",
    models: [],
    defaultModel: "gpt-image-2",
    defaultSize: "1024x1024",
    fields: OPENAI_FIELDS,
  },
  {
    id: "localai",
    name: "LocalAI",
    category: "local",
    baseUrl: "http://127.0.0.1:8080/v1",
    apiCompatibility: "openai",
    authType: "none",
    modelsListPath: "/models",
    dialect: "images",
    editUpload: "multipart",
    models: ["stablediffusion"],
    defaultModel: "stablediffusion",
    defaultSize: "512x512",
    fields: fields({ quality: false, outputFormat: false, background: false, inputFidelity: false, maxCount: 1, edits: false, mask: false, streaming: false, negativePrompt: true }),
  },
  {
    id: "ollama",
    name: "Ollama",
    category: "local",
    baseUrl: "http://127.0.0.1:11434/v1",
    apiCompatibility: "openai",
    authType: "none",
    modelsListPath: "/models",
    dialect: "images",
    editUpload: "multipart",
    models: [],
    defaultModel: "x/z-image-turbo",
    defaultSize: "1024x1024",
    fields: fields({ quality: false, outputFormat: false, background: false, inputFidelity: false, maxCount: 1, edits: false, mask: false, streaming: false }),
  },
] as const satisfies readonly ProfilePreset[];

export type PresetId = (typeof PROFILE_PRESETS)[number]["id"];
export const PRESET_IDS = PROFILE_PRESETS.map((preset) => preset.id) as [PresetId, ...PresetId[]];
/** What a profile made by hand, or by an older version, takes: everything OpenAI's API does. */
export const DEFAULT_PRESET_ID: PresetId = "openai-compatible";

export const presetOf = (id: string): ProfilePreset => PROFILE_PRESETS.find((preset) => preset.id === id) ?? PROFILE_PRESETS.find((preset) => preset.id === DEFAULT_PRESET_ID)!;

/** The placeholder such as `{resource}` a preset's base URL still holds, for the user to fill in. */
export const placeholderIn = (baseUrl: string) => /\{[a-z]+\}/i.exec(baseUrl)?.[0];
