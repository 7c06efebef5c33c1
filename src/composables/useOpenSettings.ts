import { inject, type InjectionKey } from "vue";

export const OPEN_SETTINGS_KEY: InjectionKey<() => void> = Symbol("hfmig-open-settings");

/** Opens the settings panel from anywhere in the panel (PanelRoot provides it). */
export const useOpenSettings = () => inject(OPEN_SETTINGS_KEY, () => undefined);
