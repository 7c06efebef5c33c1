import { describe, expect, it } from "vitest";
import { createBoundary, startPanelActor, validGenerate } from "./support.ts";

const png = (bytes: number[]) => new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, ...bytes])], { type: "image/png" });
const edit = (blob: Blob) => ({ ...validGenerate(), operation: "edit", images: [{ fileName: "ref.png", contentType: "image/png", blob }] });

describe("the same edit clicked twice within a second", () => {
  it("asks once when it carries the same image, and twice when the images differ", () => {
    const boundary = createBoundary();
    const actor = startPanelActor(boundary);
    const first = png([1]);
    actor.send({ type: "user.submit", input: edit(first) });
    actor.send({ type: "user.submit", input: edit(first) });
    expect(actor.getSnapshot().context.requests).toHaveLength(1);
    // The same prompt and options with another picture is another request.
    actor.send({ type: "user.submit", input: edit(png([2])) });
    expect(actor.getSnapshot().context.requests).toHaveLength(2);
    actor.stop();
  });
});
