import { MESSAGES, type MessageKey } from "../i18n/messages.ts";
import { useI18n } from "./useI18n.ts";

/** A model option value (quality, format, background, fidelity) in the panel's language; a value we have no word for (a provider's own, such as xhigh) stays as sent. */
export function useOptionLabel() {
  const t = useI18n();
  return (value: string) => (`option.${value}` in MESSAGES ? t(`option.${value}` as MessageKey) : value);
}
