import { inject, type InjectionKey } from "vue";
import type { Translate } from "../i18n/i18n.ts";

export const I18N_KEY: InjectionKey<Translate> = Symbol("hfmig-i18n");

export function useI18n(): Translate {
  const t = inject(I18N_KEY);
  if (!t) throw new Error("useI18n() needs the panel's translator (provided by PanelRoot).");
  return t;
}
