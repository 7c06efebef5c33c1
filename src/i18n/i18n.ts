import { computed, type Ref } from "vue";
import { fillTemplate } from "../../machines/index.ts";
import { en, type MessageKey, type Messages } from "./en.ts";
import { zh } from "./zh.ts";

export type Locale = "en" | "zh";
const CATALOGS: Record<Locale, Messages> = { en, zh };

/** The host's locale choice (HOST-CONTRACT.md §1.6): its key, then the browser language. */
export function hostLocale(storage: Pick<Storage, "getItem"> | undefined, language: string | undefined): Locale {
  const chosen = storage?.getItem("hf:locale");
  if (chosen === "en" || chosen === "zh") return chosen;
  return language?.toLowerCase().startsWith("zh") ? "zh" : "en";
}

// Dev-only strings (the mock gateway) join the catalogs in development builds only.
const extra: Partial<Record<string, string>> = {};
export function addMessages(messages: Record<string, string>): void {
  Object.assign(extra, messages);
}

export type Translate = (key: MessageKey | `gateway.label.${string}` | `gateway.mode.${string}` | `reason.${string}` | `fix.${string}` | `phase.${string}` | `hint.${string}`, params?: Record<string, string | number>) => string;

/** A tiny typed translator: vue-i18n would triple the bundle for ~100 flat strings. */
export function createTranslator(locale: Ref<Locale>): { t: Translate; locale: Ref<Locale> } {
  const catalog = computed(() => CATALOGS[locale.value]);
  const t: Translate = (key, params) => {
    const template = (catalog.value as Record<string, string>)[key] ?? (en as Record<string, string>)[key] ?? extra[key] ?? key;
    return fillTemplate(template, params);
  };
  return { t, locale };
}

