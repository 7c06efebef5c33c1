import { computed } from "vue";
import { estimateOn, KNOWN_MODELS, planBatch, planCompare, resolveGateway, selectBatchPreview, type BatchPlan, type CompareTarget, type PricedItem, type RunMode } from "../../machines/index.ts";
import { useDraftStore } from "../stores/draft.store.ts";
import { usePanelStore } from "../stores/panel.store.ts";
import { useSettingsStore } from "../stores/settings.store.ts";
import { usePrices } from "./usePrices.ts";

/**
 * The composer's run mode and what it would send: a batch or compare plan (the rules are
 * machines/rules/batchPlan.ts) and its preview (requests, images, estimated cost). The composer
 * sends the plan; the preview shows it before that.
 */
export function useBatchPlan(request: () => Record<string, unknown> & { prompt: string; model: string }) {
  const draftStore = useDraftStore();
  const panel = usePanelStore();
  const settings = useSettingsStore();
  const prices = usePrices();
  const run = computed<RunMode>(() => draftStore.draft.run ?? "single");
  // Until the user edits them: the chosen model and another on the gateway the status line shows.
  const targets = computed<CompareTarget[]>(
    () => draftStore.draft.targets ?? [request().model, KNOWN_MODELS.find((model) => model !== request().model) ?? request().model].map((model) => ({ mode: panel.mode, model })),
  );
  const planFor = (input: Record<string, unknown> & { prompt: string }): BatchPlan | undefined =>
    run.value === "batch" ? planBatch(input) : run.value === "compare" ? planCompare(input, targets.value, panel.gatewayFacts) : undefined;
  const plan = computed(() => planFor(request()));
  const estimate = (item: PricedItem) => {
    if (!item.target) return estimateOn(item, panel.status.status === "available" ? panel.status.labelKey : undefined, settings.activeProfile ?? { streamPartials: false, partialImages: 1 }, prices.value);
    const resolution = resolveGateway({ ...panel.gatewayFacts, mode: item.target.mode });
    return estimateOn(item, resolution.status === "available" ? resolution.labelKey : undefined, settings.activeProfile ?? { streamPartials: false, partialImages: 1 }, prices.value);
  };
  const preview = computed(() => (plan.value?.ok ? selectBatchPreview(plan.value.items, estimate) : undefined));
  return {
    run,
    targets,
    plan,
    preview,
    planFor,
    setRun: (value: RunMode) => draftStore.update({ run: value }),
    setTargets: (value: CompareTarget[]) => draftStore.update({ targets: value }),
  };
}
