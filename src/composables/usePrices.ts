import { computed } from "vue";
import { parsePrices, type PriceTable } from "../../machines/index.ts";
import { useSettingsStore } from "../stores/settings.store.ts";

/** The price lines of the profile new requests use, over the defaults (stored lines always parse: the schema checks them). */
export function usePrices() {
  const settings = useSettingsStore();
  return computed<PriceTable>(() => {
    const parsed = parsePrices(settings.activeProfile?.prices ?? "");
    return parsed.ok ? parsed.prices : {};
  });
}
