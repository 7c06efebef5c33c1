import { defineStore } from "pinia";
import { computed, ref, watch } from "vue";
import { usePanelEnvironment } from "../app/panelEnvironment.ts";
import { checkBaseUrl } from "../endpoint/baseUrl.ts";
import { DEFAULT_SETTINGS, repairSettings, SettingsSchema, type Settings } from "../schemas/settings.ts";

export const SETTINGS_STORAGE_KEY = "hfmig.settings.v1";

/** Panel settings, persisted in the environment's storage (localStorage) and repaired field by field on load. */
export const useSettingsStore = defineStore("settings", () => {
  const { storage } = usePanelEnvironment();
  let stored: unknown;
  let unreadable = false;
  try {
    const text = storage?.getItem(SETTINGS_STORAGE_KEY);
    stored = text ? JSON.parse(text) : undefined;
  } catch {
    unreadable = true;
  }
  const { settings: loaded, repaired } = repairSettings(stored);
  const settings = ref<Settings>(loaded);
  const repairedFields = ref<string[]>(unreadable ? ["all"] : repaired);

  const baseUrlCheck = computed(() => checkBaseUrl(settings.value.baseUrl, settings.value.allowInsecureHttp));

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
    { deep: true, immediate: repairedFields.value.length > 0 },
  );

  /** Fields of the last write that broke their rule: the write was refused and nothing changed. */
  const rejectedFields = ref<(keyof Settings)[]>([]);
  /** Writes settings only when they pass their schema now, not just on the next load. */
  const update = (patch: Partial<Settings>): boolean => {
    const next = { ...settings.value, ...patch };
    const checked = SettingsSchema().safeParse(next);
    if (!checked.success) {
      rejectedFields.value = [...new Set(checked.error.issues.map((issue) => issue.path[0] as keyof Settings))];
      return false;
    }
    rejectedFields.value = [];
    settings.value = checked.data;
    return true;
  };
  const reset = () => (settings.value = { ...DEFAULT_SETTINGS });
  const dismissRepairNotice = () => (repairedFields.value = []);

  return { settings, baseUrlCheck, repairedFields, rejectedFields, writes, update, reset, dismissRepairNotice };
});
