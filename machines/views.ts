// Presentation selectors: plain JSON views of the core's state, what each component shows and
// what each of its actions sends. One file per subject in views/.
export * from "./views/requests.ts";
export * from "./views/requestCard.ts";
export * from "./views/fixActions.ts";
export * from "./views/gatewayStatus.ts";
export * from "./views/historyRows.ts";
export * from "./views/results.ts";
export * from "./views/resultSections.ts";
export * from "./views/reuseSettings.ts";
export * from "./views/requestedActual.ts";
export * from "./views/usage.ts";
export * from "./views/batches.ts";
export * from "./views/batchPreview.ts";
export * from "./views/batchHistory.ts";
export * from "./views/gatewayName.ts";
export * from "./views/gatewayChoices.ts";
export * from "./views/composerFields.ts";
