import { useI18n } from "./useI18n.ts";

// Estimates: three significant digits say enough ($0.167, $12.3).
const MAKERS = {
  date: (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" }),
  seconds: (locale: string) => new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  count: (locale: string) => new Intl.NumberFormat(locale),
  money: (locale: string) => new Intl.NumberFormat(locale, { style: "currency", currency: "USD", maximumSignificantDigits: 3 }),
};
type Kind = keyof typeof MAKERS;

// One formatter per locale and kind for the whole panel, each made on its first use: making one
// costs more than the rest of a history row's render, and the first one a page makes loads the
// browser's locale data (13–43 ms in a fresh Chromium renderer).
const formatters = new Map<string, { format(value: number): string }>();
function formatter(locale: string, kind: Kind): { format(value: number): string } {
  const key = `${locale} ${kind}`;
  let made = formatters.get(key);
  if (!made) formatters.set(key, (made = MAKERS[kind](locale)));
  return made;
}

/** Dates and numbers in the panel's language (the locale tag of its catalog column). */
export function useIntl() {
  const t = useI18n();
  const format = (kind: Kind, value: number) => formatter(t("app.lang"), kind).format(value);
  return {
    date: (time: number) => format("date", time),
    /** Milliseconds as seconds with one decimal ("12.3"). */
    seconds: (ms: number) => format("seconds", ms / 1000),
    count: (value: number) => format("count", value),
    money: (usd: number) => format("money", usd),
  };
}
