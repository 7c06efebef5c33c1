import { computed } from "vue";
import { parsePrices, type PriceTable } from "../../machines/index.ts";
import type { Profile } from "../schemas/profile.ts";
import { useSettingsStore } from "../stores/settings.store.ts";

/** A profile's price lines over the defaults (stored lines always parse: the schema checks them). */
export function pricesOf(profile: Pick<Profile, "prices"> | undefined): PriceTable {
  const parsed = parsePrices(profile?.prices ?? "");
  return parsed.ok ? parsed.prices : {};
}

/**
 * The price lines of the profile `profileId` names (a request that went through it: a compare
 * column), else of the profile new requests use; a deleted profile's are the defaults.
 */
export function usePrices(profileId?: () => string | undefined) {
  const settings = useSettingsStore();
  return computed<PriceTable>(() => {
    const id = profileId?.();
    return pricesOf(id !== undefined ? settings.profileById(id) : settings.activeProfile);
  });
}
