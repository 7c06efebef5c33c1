import { computed } from "vue";
import { parsePrices, type PriceTable } from "../../machines/index.ts";
import { useSettingsStore } from "../stores/settings.store.ts";

/** The settings' price lines over the defaults (stored lines always parse: the schema checks them). */
export function usePrices() {
  const settings = useSettingsStore();
  return computed<PriceTable>(() => {
    const parsed = parsePrices(settings.settings.prices);
    return parsed.ok ? parsed.prices : {};
  });
}
