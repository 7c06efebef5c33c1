import { defineStore } from "pinia";
import { computed, ref, watch } from "vue";
import { usePanelEnvironment } from "../app/panelEnvironment.ts";
import { checkBaseUrl, type BaseUrlCheck } from "../endpoint/baseUrl.ts";
import { presetOf, type PresetId } from "../profiles/presets.ts";
import { profileFromPreset } from "../profiles/profileFromPreset.ts";
import { exportProfiles, importProfiles, type ImportResult } from "../profiles/profileTransfer.ts";
import { originOf, upgradeLegacySettings } from "../profiles/upgrade.ts";
import { PROFILE_DEFAULTS, ProfileSchema, type Profile } from "../schemas/profile.ts";
import { choiceProfileId, FIRST_PROFILE_ID, GlobalSettingsSchema, nameTaken, repairSettings, type GatewayChoice, type Settings } from "../schemas/settings.ts";

export const SETTINGS_STORAGE_KEY = "hfmig.settings.v2";
/** Where the version before endpoint profiles kept its settings: read once, to upgrade, and left as it was. */
export const LEGACY_SETTINGS_KEY = "hfmig.settings.v1";

type GlobalPatch = Partial<Omit<Settings, "profiles">>;
export type ProfilePatch = Partial<Omit<Profile, "id">>;

/** Panel settings and endpoint profiles, persisted in the environment's storage (localStorage) and repaired field by field on load. */
export const useSettingsStore = defineStore("settings", () => {
  const { storage, t, random } = usePanelEnvironment();
  const firstProfile = () => ({ ...PROFILE_DEFAULTS, id: FIRST_PROFILE_ID, name: t("profiles.firstName") });
  const read = (key: string): { value?: unknown; unreadable?: true } => {
    try {
      const text = storage?.getItem(key);
      return text ? { value: JSON.parse(text) } : {};
    } catch {
      return { unreadable: true };
    }
  };
  const current = read(SETTINGS_STORAGE_KEY);
  const legacy = current.value === undefined && !current.unreadable ? read(LEGACY_SETTINGS_KEY) : {};
  // Settings of the version before profiles become the profile "default", once: from then on the new key holds them.
  const upgraded = legacy.value !== undefined ? upgradeLegacySettings(legacy.value, t("profiles.firstName")) : undefined;
  const loaded = upgraded ?? repairSettings(current.value, firstProfile);
  const settings = ref<Settings>(loaded.settings);
  const repairedFields = ref<string[]>(current.unreadable || legacy.unreadable ? ["all"] : loaded.repaired);

  const profiles = computed(() => settings.value.profiles);
  const profileById = (id: string | undefined) => settings.value.profiles.find((profile) => profile.id === id);
  /** The profile new requests go to when a profile is used: the chosen one, else the default one. */
  const activeProfile = computed<Profile | undefined>(() => profileById(choiceProfileId(settings.value.gateway)) ?? profileById(settings.value.defaultProfileId) ?? settings.value.profiles[0]);
  const checkOf = (profile: Profile | undefined): BaseUrlCheck => (profile ? checkBaseUrl(profile.baseUrl, profile.allowInsecureHttp) : { ok: false, problem: "empty" });
  /** The composer's defaults: the active profile's, else those of a new profile. */
  const composerDefaults = computed(() => ({ defaultModel: activeProfile.value?.defaultModel ?? PROFILE_DEFAULTS.defaultModel, defaultSize: activeProfile.value?.defaultSize ?? PROFILE_DEFAULTS.defaultSize }));

  /** How many times the settings were written, and whether the last write was stored (the settings panel confirms it). */
  const writes = ref({ count: 0, stored: true });
  watch(
    settings,
    (value) => {
      let stored = Boolean(storage);
      try {
        storage?.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(value));
      } catch {
        // Storage full or blocked: the settings still apply for this session.
        stored = false;
      }
      writes.value = { count: writes.value.count + 1, stored };
    },
    { deep: true, immediate: repairedFields.value.length > 0 || upgraded !== undefined },
  );

  /** Fields of the last write that broke their rule: the write was refused and nothing changed. */
  const rejectedFields = ref<string[]>([]);
  const refuse = (fields: string[]) => ((rejectedFields.value = fields), false);

  /** Writes global settings only when they pass their schema now, not just on the next load. */
  const update = (patch: GlobalPatch): boolean => {
    const { profiles: _profiles, ...globals } = { ...settings.value, ...patch };
    const checked = GlobalSettingsSchema.safeParse(globals);
    if (!checked.success) return refuse([...new Set(checked.error.issues.map((issue) => String(issue.path[0])))]);
    const chosen = choiceProfileId(globals.gateway);
    if (chosen && !profileById(chosen)) return refuse(["gateway"]);
    rejectedFields.value = [];
    settings.value = { ...settings.value, ...patch };
    return true;
  };

  /** Writes one profile's fields when they pass their schema and its name is not another profile's. */
  const updateProfile = (id: string, patch: ProfilePatch): boolean => {
    const profile = profileById(id);
    if (!profile) return false;
    const checked = ProfileSchema.safeParse({ ...profile, ...patch });
    if (!checked.success) return refuse([...new Set(checked.error.issues.map((issue) => String(issue.path[0])))]);
    if (nameTaken(settings.value.profiles, checked.data.name, id)) return refuse(["nameTaken"]);
    rejectedFields.value = [];
    settings.value = { ...settings.value, profiles: settings.value.profiles.map((each) => (each.id === id ? checked.data : each)) };
    return true;
  };

  const newId = () => {
    for (;;) {
      const id = `p-${Math.floor(random() * 36 ** 8).toString(36).padStart(8, "0")}`;
      if (!profileById(id)) return id;
    }
  };
  /** `name`, or `name 2`, `name 3`, … : the first no other profile has. */
  const freeName = (name: string) => {
    for (let count = 1; ; count += 1) {
      const candidate = count === 1 ? name : `${name} ${count}`;
      if (!nameTaken(settings.value.profiles, candidate)) return candidate;
    }
  };
  const append = (profile: Profile) => {
    settings.value = { ...settings.value, profiles: [...settings.value.profiles, profile] };
    return profile.id;
  };

  /** A new profile from a preset, named after its provider; returns its id. */
  const addProfile = (presetId: PresetId): string => {
    const preset = presetOf(presetId);
    return append(profileFromPreset(preset, newId(), freeName(preset.name ?? t(`profiles.preset.${preset.id}` as "profiles.preset.openai-compatible"))));
  };
  /** A copy under a free name, without the key (which stays with the original). */
  const duplicateProfile = (id: string): string | undefined => {
    const profile = profileById(id);
    return profile && append({ ...profile, id: newId(), name: freeName(t("profiles.copyName", { name: profile.name })), keyOrigin: "" });
  };
  /** Moves a profile one place up (-1) or down (1) in the list and the gateway bar. */
  const moveProfile = (id: string, by: -1 | 1) => {
    const list = [...settings.value.profiles];
    const from = list.findIndex((profile) => profile.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= list.length) return;
    [list[from], list[to]] = [list[to]!, list[from]!];
    settings.value = { ...settings.value, profiles: list };
  };
  /**
   * Deletes a profile (its key is deleted by the caller, natively). A choice of it goes back to
   * Auto; Auto then picks the first profile left. Requests already made keep their endpoint.
   */
  const removeProfile = (id: string) => {
    const profiles = settings.value.profiles.filter((profile) => profile.id !== id);
    const chosen = choiceProfileId(settings.value.gateway) === id;
    settings.value = {
      ...settings.value,
      profiles,
      ...(chosen ? { gateway: "auto" as GatewayChoice } : {}),
      ...(settings.value.defaultProfileId === id && profiles[0] ? { defaultProfileId: profiles[0].id } : {}),
    };
  };

  /** The key was saved (or an older version's key moved) for this profile: remember for which origin. */
  const keyStoredFor = (id: string, baseUrl?: string) => {
    const profile = profileById(id);
    if (!profile) return;
    const keyOrigin = originOf(baseUrl ?? profile.baseUrl, profile.allowInsecureHttp);
    settings.value = { ...settings.value, profiles: settings.value.profiles.map((each) => (each.id === id ? { ...each, keyOrigin } : each)) };
  };
  /** Streams that profile's calls from now on: a proxy keeps a streamed connection open (the fix of a `gateway_timeout`). */
  const enableStreaming = (id: string) => updateProfile(id, { streamPartials: true });
  /** The key of a profile was cleared. */
  const keyCleared = (id: string) => updateProfile(id, { keyOrigin: "" });
  /** The one-time move of an older version's key is done (moved, or there was none). */
  const legacyKeySettled = () => void (settings.value = { ...settings.value, legacyKeyProfileId: "" });

  const exportAll = () => exportProfiles(settings.value.profiles);
  /** Adds the profiles of a file that are not here yet; never replaces one (conflicts are named). */
  const importFrom = (text: string): ImportResult => {
    const result = importProfiles(text, settings.value.profiles);
    if (result.ok && result.added.length) settings.value = { ...settings.value, profiles: [...settings.value.profiles, ...result.added] };
    return result;
  };

  const reset = () => (settings.value = repairSettings(undefined, firstProfile).settings);
  const dismissRepairNotice = () => (repairedFields.value = []);

  return {
    settings,
    profiles,
    activeProfile,
    composerDefaults,
    profileById,
    checkOf,
    repairedFields,
    rejectedFields,
    writes,
    update,
    updateProfile,
    addProfile,
    duplicateProfile,
    moveProfile,
    removeProfile,
    keyStoredFor,
    keyCleared,
    enableStreaming,
    legacyKeySettled,
    exportAll,
    importFrom,
    reset,
    dismissRepairNotice,
  };
});
