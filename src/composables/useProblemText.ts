import type { InputProblem, RuleBreak } from "../../machines/index.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { useI18n } from "./useI18n.ts";

// The composer's label for each field a rule names; nested fields (images.0.base64) keep their path.
const FIELD_LABELS: Record<string, MessageKey> = {
  prompt: "composer.prompt",
  model: "composer.model",
  size: "composer.size",
  n: "composer.count",
  quality: "composer.quality",
  outputFormat: "composer.format",
};

/**
 * Words broken input rules in the panel's language. A problem that is not one of our rules (zod's
 * own type error on a malformed input) keeps the machine's English message.
 */
export function useProblemText() {
  const t = useI18n();
  const rule = (problem: RuleBreak | InputProblem) => (problem.rule ? t(`rule.${problem.rule}`, problem.params) : (problem as InputProblem).message);
  const field = (name: string) => (FIELD_LABELS[name] ? t(FIELD_LABELS[name]) : name);
  return {
    rule,
    /** "Size: both edges must be multiples of 16; Images: …" */
    list: (problems: InputProblem[]) => problems.map((problem) => `${field(problem.field)}: ${rule(problem)}`).join("; "),
  };
}
