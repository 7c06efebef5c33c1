import { useI18n } from "./useI18n.ts";

type Kind = "date" | "seconds" | "count" | "money";
const OPTIONS: Record<Kind, Intl.NumberFormatOptions | Intl.DateTimeFormatOptions> = {
  date: { dateStyle: "short", timeStyle: "short" },
  seconds: { minimumFractionDigits: 1, maximumFractionDigits: 1 },
  count: {},
  // Estimates: three significant digits say enough ($0.167, $12.3).
  money: { style: "currency", currency: "USD", maximumSignificantDigits: 3 },
};

// One formatter per locale and kind for the whole panel, each made on its first use: making one
// costs more than the rest of a history row's render, and the first one a page makes loads the
// browser's locale data (13–43 ms in a fresh Chromium renderer).
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatter(locale: string, kind: Kind): { format(value: number): string } {
  const key = `${locale} ${kind}`;
  let made = formatters.get(key);
  if (!made) {
    made = kind === "date" ? new Intl.DateTimeFormat(locale, OPTIONS.date as Intl.DateTimeFormatOptions) : new Intl.NumberFormat(locale, OPTIONS[kind] as Intl.NumberFormatOptions);
    formatters.set(key, made);
  }
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
