import type { GatewayLabelKey } from "../labels.ts";

/**
 * What a card or history row calls the gateway a request went through: the endpoint profile by the
 * name it had then, else the gateway's label (worded by the panel).
 */
export type GatewayName = { name: string } | { key: `gateway.label.${GatewayLabelKey}` };

export function gatewayName(labelKey: GatewayLabelKey, profileName?: string): GatewayName {
  return labelKey === "custom" && profileName ? { name: profileName } : { key: `gateway.label.${labelKey}` };
}
