import { describe, expect, it } from "vitest";
import { historyWhen, memoryHistory } from "../../src/history/historyBackend.ts";
import { memoryReferenceDraft, referenceDraftWhen } from "../../src/persistence/referenceDraft.ts";
import type { HistoryRecord } from "../../src/history/historyRecord.ts";

function gate() {
  let open!: () => void;
  const ready = new Promise<void>((resolve) => (open = resolve));
  return { ready, open };
}

describe("storage opened after the first paint", () => {
  it("opens the history backend only once the paint settled, and every call waits for it", async () => {
    const { ready, open } = gate();
    const real = memoryHistory([{ id: "a" } as HistoryRecord]);
    let opened = 0;
    const history = historyWhen(ready, () => (opened++, real));
    const loading = history.loadAll();
    const writing = history.put({ id: "b" } as HistoryRecord);
    await Promise.resolve();
    expect(opened).toBe(0);
    expect(real.records.has("b")).toBe(false);

    open();
    expect((await loading).map((record) => record.id)).toEqual(["a"]);
    await writing;
    expect(real.records.has("b")).toBe(true);
    await history.remove("a");
    expect([...real.records.keys()]).toEqual(["b"]);
    expect(opened).toBe(1);
  });

  it("keeps the references draft's load and save behind the paint", async () => {
    const { ready, open } = gate();
    const real = memoryReferenceDraft();
    const draft = referenceDraftWhen(ready, () => real);
    const saving = draft.save({ images: [] });
    await Promise.resolve();
    expect(real.saved).toBeUndefined();
    open();
    await saving;
    expect(await draft.load()).toEqual({ images: [] });
  });
});
