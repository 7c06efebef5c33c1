import { gatewayName, type GatewayLabelKey } from "../../machines/index.ts";
import { useI18n } from "./useI18n.ts";

/** Words what a card or history row calls its gateway: the profile's own name, or the gateway's label. */
export function useGatewayName() {
  const t = useI18n();
  return (labelKey: GatewayLabelKey, profileName?: string) => {
    const name = gatewayName(labelKey, profileName);
    return "name" in name ? name.name : t(name.key);
  };
}
