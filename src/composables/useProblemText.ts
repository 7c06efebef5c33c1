import type { InputProblem, RuleBreak } from "../../machines/index.ts";
import { MESSAGES, type MessageKey } from "../i18n/messages.ts";
import { useI18n } from "./useI18n.ts";
import { useOptionLabel } from "./useOptionLabel.ts";

/**
 * Words broken input rules in the panel's language. A problem that is not one of our rules (zod's
 * own type error on a malformed input) keeps the machine's English message.
 */
export function useProblemText() {
  const t = useI18n();
  const optionLabel = useOptionLabel();
  // A rule's list of option values (quality auto, low, …) is worded like the composer's choices.
  const params = ({ params }: RuleBreak) =>
    params && typeof params.values === "string" ? { ...params, values: params.values.split(", ").map(optionLabel).join(t("list.separator")) } : params;
  const rule = (problem: RuleBreak | InputProblem) => (problem.rule ? t(`rule.${problem.rule}`, params(problem as RuleBreak)) : (problem as InputProblem).message);
  // A field the composer shows is named by its label (composer.<field>); nested ones (images.0.base64) by their path.
  const field = (name: string) => (`composer.${name}` in MESSAGES ? t(`composer.${name}` as MessageKey) : name);
  return {
    rule,
    /** "Size: both edges must be multiples of 16; Images: …" */
    list: (problems: InputProblem[]) => problems.map((problem) => `${field(problem.field)}: ${rule(problem)}`).join("; "),
  };
}
