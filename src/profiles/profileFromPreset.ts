import { PROFILE_DEFAULTS, type Profile } from "../schemas/profile.ts";
import { AUTH_TO_WIRE, type ProfilePreset } from "./presets.ts";

/** A new profile as its preset starts it; every field stays editable. */
export function profileFromPreset(preset: ProfilePreset, id: string, name: string): Profile {
  return {
    ...PROFILE_DEFAULTS,
    id,
    name,
    preset: preset.id as Profile["preset"],
    baseUrl: preset.baseUrl,
    auth: AUTH_TO_WIRE[preset.authType],
    dialect: preset.dialect,
    apiVersion: preset.apiVersion ?? "",
    editUpload: preset.editUpload,
    defaultModel: preset.defaultModel,
    defaultSize: preset.defaultSize,
  };
}
