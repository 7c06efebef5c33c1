import type { CompareTarget } from "../rules/batchPlan.ts";
import type { GatewayMode } from "../rules/gatewayResolution.ts";
import { selectGatewayChoices, type GatewayChoiceView } from "./gatewayChoices.ts";

/** What the composer knows of each endpoint profile, in the settings' order. */
export interface TargetProfile {
  id: string;
  name: string;
  defaultModel: string;
  /** The models the profile listed when its connection was tested, if it was. */
  listed?: readonly string[];
}

/** One compare target row: its gateway choice among all of them, its model and that gateway's model suggestions. */
export interface CompareTargetRow {
  choice: string;
  choices: GatewayChoiceView[];
  model: string;
  /** The profile's listed models first, then the known ones. */
  suggestions: string[];
}

/** The gateway bar's vocabulary for a target: a mode, or `profile:<id>`. */
export const targetChoice = (target: Omit<CompareTarget, "model">): string => (target.profileId !== undefined ? `profile:${target.profileId}` : target.mode);

/**
 * A target moved to another choice. A profile brings its default model (what a request there
 * would use); another gateway keeps the model typed.
 */
export function retarget(target: CompareTarget, choice: string, profiles: readonly TargetProfile[]): CompareTarget {
  if (!choice.startsWith("profile:")) return { mode: choice as GatewayMode, model: target.model };
  const profileId = choice.slice("profile:".length);
  const profile = profiles.find((each) => each.id === profileId);
  return { mode: "custom", profileId, model: profile?.defaultModel ?? target.model };
}

/**
 * The compare's target rows: Auto, the managed gateway, every profile by name and the mock (in
 * development builds) to choose from, like the gateway bar. A target naming a deleted profile
 * keeps its choice (the plan names the problem), shown under the profile's id.
 */
export function selectCompareTargetRows(targets: readonly CompareTarget[], modes: readonly GatewayMode[], profiles: readonly TargetProfile[], known: readonly string[]): CompareTargetRow[] {
  return targets.map((target) => {
    const choice = targetChoice(target);
    const profile = target.profileId !== undefined ? profiles.find((each) => each.id === target.profileId) : undefined;
    const choices = selectGatewayChoices(modes, profiles, choice);
    const gone = target.profileId !== undefined && !profile ? [{ choice, label: { name: target.profileId }, checked: true }] : [];
    return { choice, choices: [...choices, ...gone], model: target.model, suggestions: [...new Set([...(profile?.listed ?? []), ...known])] };
  });
}
