import type { InputProblem, RuleBreak } from "../../machines/index.ts";
import { MESSAGES, type MessageKey } from "../i18n/messages.ts";
import { useI18n } from "./useI18n.ts";

/**
 * Words broken input rules in the panel's language. A problem that is not one of our rules (zod's
 * own type error on a malformed input) keeps the machine's English message.
 */
export function useProblemText() {
  const t = useI18n();
  const rule = (problem: RuleBreak | InputProblem) => (problem.rule ? t(`rule.${problem.rule}`, problem.params) : (problem as InputProblem).message);
  // A field the composer shows is named by its label (composer.<field>); nested ones (images.0.base64) by their path.
  const field = (name: string) => (`composer.${name}` in MESSAGES ? t(`composer.${name}` as MessageKey) : name);
  return {
    rule,
    /** "Size: both edges must be multiples of 16; Images: …" */
    list: (problems: InputProblem[]) => problems.map((problem) => `${field(problem.field)}: ${rule(problem)}`).join("; "),
  };
}
