import { computed, type Ref } from "vue";
import { fillTemplate } from "../../machines/index.ts";
import { MESSAGES, type MessageKey, type Pair } from "./messages.ts";

export type Locale = "en" | "zh";
const COLUMN: Record<Locale, 0 | 1> = { en: 0, zh: 1 };

/** The host's locale choice (`hf:locale` in localStorage), then the browser language. */
export function hostLocale(storage: Pick<Storage, "getItem"> | undefined, language: string | undefined): Locale {
  const chosen = storage?.getItem("hf:locale");
  if (chosen === "en" || chosen === "zh") return chosen;
  return language?.toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** Strings outside the catalogue by locale (the development build's mock gateway). */
export type ExtraMessages = Record<Locale, Partial<Record<string, string>>>;

export type Translate = (key: MessageKey | `gateway.label.${string}` | `gateway.mode.${string}` | `reason.${string}` | `fix.${string}` | `phase.${string}` | `hint.${string}`, params?: Record<string, string | number>) => string;

/** A tiny typed translator: vue-i18n would triple the bundle for ~200 flat strings. */
export function createTranslator(locale: Ref<Locale>, extra?: ExtraMessages): { t: Translate; locale: Ref<Locale> } {
  const column = computed(() => COLUMN[locale.value]);
  const t: Translate = (key, params) => {
    const pair = (MESSAGES as Record<string, Pair | undefined>)[key];
    return fillTemplate(pair ? pair[column.value] : (extra?.[locale.value][key] ?? key), params);
  };
  return { t, locale };
}
