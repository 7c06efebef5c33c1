import type { GatewayMode } from "../rules/gatewayResolution.ts";

/** One button of the gateway bar: Auto, the managed gateway, each endpoint profile by name, the mock. */
export interface GatewayChoiceView {
  /** What choosing it stores: a mode, or `profile:<id>`. */
  choice: string;
  label: { key: `gateway.mode.${Exclude<GatewayMode, "custom">}` } | { name: string };
  checked: boolean;
}

/**
 * The gateway bar's choices in order: Auto and the managed gateway, the profiles in their order,
 * then the mock (development builds only: `modes` holds it only there).
 */
export function selectGatewayChoices(modes: readonly GatewayMode[], profiles: readonly { id: string; name: string }[], chosen: string): GatewayChoiceView[] {
  const mode = (value: Exclude<GatewayMode, "custom">): GatewayChoiceView => ({ choice: value, label: { key: `gateway.mode.${value}` }, checked: chosen === value });
  const fixed = modes.filter((value): value is Exclude<GatewayMode, "custom"> => value !== "custom");
  return [
    ...fixed.filter((value) => value !== "mock").map(mode),
    ...profiles.map((profile) => ({ choice: `profile:${profile.id}`, label: { name: profile.name }, checked: chosen === `profile:${profile.id}` })),
    ...fixed.filter((value) => value === "mock").map(mode),
  ];
}
