import { reuseFill, type ComposerFill, type ReusableRecord } from "./reuseSettings.ts";

/** The facts of a history record a batch's put-back reads. */
export interface BatchRecordFacts<Image> extends ReusableRecord<Image> {
  batchId?: string;
  batchIndex?: number;
  status: string;
  resolvedBy?: string;
  createdAt: number;
}

/** A batch's requests a reload left unsent (and no later success made good), in the order they were sent. */
export const notSentOfBatch = <Image>(records: readonly BatchRecordFacts<Image>[], batchId: string) =>
  records.filter((record) => record.batchId === batchId && record.status === "notSent" && !record.resolvedBy).sort((a, b) => a.createdAt - b.createdAt || (a.batchIndex ?? 0) - (b.batchIndex ?? 0));

/**
 * "Put back the ones not sent": the composer in batch mode with their prompts, one per line, and
 * the batch's options. Nothing is sent: the user presses Generate again (and may change things
 * first). Batch prompts never hold a line break or a brace (expansion removes them), so the text
 * expands back to exactly these prompts.
 */
export function batchPutBack<Image>(records: readonly BatchRecordFacts<Image>[], batchId: string): (ComposerFill<Image> & { run: "batch" }) | undefined {
  const unsent = notSentOfBatch(records, batchId);
  if (unsent.length === 0) return undefined;
  return { ...reuseFill(unsent[0]!), prompt: unsent.map((record) => record.prompt).join("\n"), run: "batch" };
}
