import { computed } from "vue";
import { useI18n } from "./useI18n.ts";

/** Dates and numbers in the panel's language (the locale tag of its catalog column). */
export function useIntl() {
  const t = useI18n();
  // One formatter per locale: creating one per call costs more than the rest of a history row's render.
  const formats = computed(() => {
    const locale = t("app.lang");
    return {
      date: new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" }),
      seconds: new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
      count: new Intl.NumberFormat(locale),
      // Estimates: three significant digits say enough ($0.167, $12.3).
      money: new Intl.NumberFormat(locale, { style: "currency", currency: "USD", maximumSignificantDigits: 3 }),
    };
  });
  return {
    date: (time: number) => formats.value.date.format(time),
    /** Milliseconds as seconds with one decimal ("12.3"). */
    seconds: (ms: number) => formats.value.seconds.format(ms / 1000),
    count: (value: number) => formats.value.count.format(value),
    money: (usd: number) => formats.value.money.format(usd),
  };
}
