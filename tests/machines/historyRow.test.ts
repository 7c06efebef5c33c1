import { describe, expect, it } from "vitest";
import { selectHistoryRow } from "../../machines/views.ts";

describe("what a history row says after a reload", () => {
  it("a request sent before the reload is interrupted and may have been billed; one only queued was never sent and is offered back", () => {
    expect(selectHistoryRow({ status: "interrupted" })).toEqual({ tone: "bad", status: "interrupted", noImage: "interrupted", note: "mayHaveBeenBilled", putBack: false });
    expect(selectHistoryRow({ status: "notSent" })).toEqual({ tone: "neutral", status: "notSent", noImage: "notSent", note: "notSent", putBack: true });
  });

  it("recovered images turn the row ok (warn when uncertain), with no billing doubt left", () => {
    expect(selectHistoryRow({ status: "interrupted", recovered: "matched" })).toEqual({ tone: "ok", status: "recovered", noImage: "interrupted", putBack: false });
    expect(selectHistoryRow({ status: "interrupted", recovered: "uncertain" })).toEqual({ tone: "warn", status: "possiblyRecovered", noImage: "interrupted", putBack: false });
  });

  it("a later success of the same input resolves either kind", () => {
    for (const status of ["interrupted", "notSent"]) expect(selectHistoryRow({ status, resolvedBy: "r9" })).toMatchObject({ tone: "neutral", status: "resolved", putBack: false });
    expect(selectHistoryRow({ status: "interrupted", resolvedBy: "r9" }).note).toBeUndefined();
  });

  it("an ended request shows its own phase; a failure its error, and no picture because it failed", () => {
    expect(selectHistoryRow({ status: "failed", errorSummary: "HTTP 500" })).toEqual({ tone: "bad", status: "ended", noImage: "failed", note: "error", putBack: false });
    expect(selectHistoryRow({ status: "cancelled" })).toEqual({ tone: "warn", status: "ended", noImage: "none", putBack: false });
    expect(selectHistoryRow({ status: "running" })).toEqual({ tone: "running", status: "running", noImage: "running", putBack: false });
  });
});
