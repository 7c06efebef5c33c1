import { computed, watch } from "vue";
import { estimateOn, KNOWN_MODELS, planBatch, planCompare, resolveGateway, selectBatchPreview, type BatchPlan, type CompareTarget, type PricedItem, type RunMode } from "../../machines/index.ts";
import { useDraftStore } from "../stores/draft.store.ts";
import { usePanelStore } from "../stores/panel.store.ts";
import { useSettingsStore } from "../stores/settings.store.ts";
import { pricesOf, usePrices } from "./usePrices.ts";

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
  // The gateway the status line shows: a chosen profile by its id.
  const current = (): Omit<CompareTarget, "model"> => (panel.mode === "custom" && settings.activeProfile ? { mode: "custom", profileId: settings.activeProfile.id } : { mode: panel.mode });
  // A target stored before targets named profiles: "custom" was the profile in use.
  const named = (target: CompareTarget): CompareTarget => (target.mode === "custom" && target.profileId === undefined && settings.activeProfile ? { ...target, profileId: settings.activeProfile.id } : target);
  // Until the user edits them: the chosen model and another on the gateway the status line shows.
  const targets = computed<CompareTarget[]>(() =>
    (draftStore.draft.targets ?? [request().model, KNOWN_MODELS.find((model) => model !== request().model) ?? request().model].map((model) => ({ ...current(), model }))).map(named),
  );
  // Whether each named profile's key is saved is the backend's answer: ask for the ones not known yet.
  watch(
    () => (run.value === "compare" ? [...new Set(targets.value.flatMap((target) => (target.profileId !== undefined && settings.profileById(target.profileId) ? [target.profileId] : [])))] : []),
    (ids) => ids.filter((id) => panel.keyOf(id).set === undefined).forEach((id) => panel.refreshKey(id)),
    { immediate: true },
  );
  const planFor = (input: Record<string, unknown> & { prompt: string }): BatchPlan | undefined =>
    run.value === "batch" ? planBatch(input) : run.value === "compare" ? planCompare(input, targets.value, panel.gatewayFacts) : undefined;
  const plan = computed(() => planFor(request()));
  const streamOf = (profile = settings.activeProfile) => profile ?? { streamPartials: false, partialImages: 1 };
  const estimate = (item: PricedItem) => {
    if (!item.target) return estimateOn(item, panel.status.status === "available" ? panel.status.labelKey : undefined, streamOf(), prices.value);
    // A profile's column costs what that profile's price lines say, with its own streaming.
    const profile = item.target.profileId !== undefined ? settings.profileById(item.target.profileId) : undefined;
    if (profile) return estimateOn(item, "custom", streamOf(profile), pricesOf(profile));
    const resolution = resolveGateway({ ...panel.gatewayFacts, mode: item.target.mode });
    return estimateOn(item, resolution.status === "available" ? resolution.labelKey : undefined, streamOf(), prices.value);
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
