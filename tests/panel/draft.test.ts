// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { DRAFT_STORAGE_KEY, useDraftStore } from "../../src/stores/draft.store.ts";
import { inTestApp } from "./testEnvironment.ts";

afterEach(() => localStorage.clear());

const loadDraft = (stored: string) => {
  localStorage.setItem(DRAFT_STORAGE_KEY, stored);
  return inTestApp(() => useDraftStore()).draft;
};

describe("the prompt draft after a reload", () => {
  it("keeps every readable field when others are bad", () => {
    expect(loadDraft(JSON.stringify({ mode: 7, prompt: "a paper boat", model: "gpt-image-2", n: "lots", quality: "high", stray: "x" }))).toEqual({
      mode: "generate",
      prompt: "a paper boat",
      model: "gpt-image-2",
      n: 1,
      quality: "high",
    });
  });

  it("starts empty from unreadable JSON or a non-object", () => {
    expect(loadDraft('{"prompt": "half')).toEqual({ mode: "generate", prompt: "", n: 1 });
    expect(loadDraft("[1, 2]")).toEqual({ mode: "generate", prompt: "", n: 1 });
  });
});
