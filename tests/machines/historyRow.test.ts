import { describe, expect, it } from "vitest";
import { selectHistoryRow } from "../../machines/views.ts";

describe("what a history row says after a reload", () => {
  it("a request sent before the reload is interrupted and may have been billed; one only queued was never sent and is offered back", () => {
    expect(selectHistoryRow({ status: "interrupted" })).toEqual({ tone: "bad", status: "interrupted", noImage: "interrupted", note: "mayHaveBeenBilled", putBack: false, label: "history.interrupted", noImageLabel: "history.noImage.interrupted" });
    expect(selectHistoryRow({ status: "notSent" })).toEqual({ tone: "neutral", status: "notSent", noImage: "notSent", note: "notSent", putBack: true, label: "history.notSent", noImageLabel: "history.noImage.notSent" });
  });

  it("recovered images turn the row ok (warn when uncertain), with no billing doubt left", () => {
    expect(selectHistoryRow({ status: "interrupted", recovered: "matched" })).toEqual({ tone: "ok", status: "recovered", noImage: "interrupted", putBack: false, label: "history.recoveredBadge.matched", noImageLabel: "history.noImage.interrupted" });
    expect(selectHistoryRow({ status: "interrupted", recovered: "uncertain" })).toEqual({ tone: "warn", status: "possiblyRecovered", noImage: "interrupted", putBack: false, label: "history.recoveredBadge.uncertain", noImageLabel: "history.noImage.interrupted" });
  });

  it("a later success of the same input resolves either kind", () => {
    for (const status of ["interrupted", "notSent"]) expect(selectHistoryRow({ status, resolvedBy: "r9" })).toMatchObject({ tone: "neutral", status: "resolved", putBack: false, label: "history.resolved" });
    expect(selectHistoryRow({ status: "interrupted", resolvedBy: "r9" }).note).toBeUndefined();
  });

  it("an ended request shows its own phase; a failure its error, and no picture because it failed", () => {
    expect(selectHistoryRow({ status: "failed", errorSummary: "HTTP 500" })).toEqual({ tone: "bad", status: "ended", noImage: "failed", note: "error", putBack: false, label: "phase.failed", noImageLabel: "history.noImage.failed" });
    expect(selectHistoryRow({ status: "cancelled" })).toEqual({ tone: "warn", status: "ended", noImage: "none", putBack: false, label: "phase.cancelled", noImageLabel: "history.noImage.none" });
    expect(selectHistoryRow({ status: "running" })).toEqual({ tone: "running", status: "running", noImage: "running", putBack: false, label: "history.running", noImageLabel: "history.running" });
  });

  it("says where the picture would be that its images were not saved, whatever its status", () => {
    expect(selectHistoryRow({ status: "succeeded", imagesNotSaved: { count: 2, reason: "storageFull" } })).toMatchObject({ tone: "ok", label: "phase.succeeded", noImageLabel: "history.noImage.notSaved" });
    expect(selectHistoryRow({ status: "succeeded" }).noImageLabel).toBe("history.noImage.none");
  });
});
