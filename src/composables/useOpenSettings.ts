import { inject, type InjectionKey } from "vue";
import type { HintKey } from "../../machines/index.ts";

export const OPEN_SETTINGS_KEY: InjectionKey<() => void> = Symbol("hfmig-open-settings");

/** Failures that a setting fixes: their card offers "Open settings" next to the hint. */
export const SETTINGS_FIXES: ReadonlySet<HintKey> = new Set(["unauthorized", "forbidden", "not_found", "invalid_config", "timeout", "network"]);

/** Opens the settings panel from anywhere in the panel (PanelRoot provides it). */
export const useOpenSettings = () => inject(OPEN_SETTINGS_KEY, () => undefined);
