import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { rowWindow } from "../../src/components/rowWindow.ts";

describe("the history list's window with one expanded row", () => {
  it("is the fixed-row window when nothing is expanded", () => {
    expect(rowWindow(640, 360, 100, 64, 3)).toEqual({ first: 7, length: 13, paddingTop: 448, total: 6400 });
  });

  it("adds the expanded row's extra height below it, and finds the rows after it", () => {
    const tall = { index: 5, height: 200 };
    expect(rowWindow(0, 360, 100, 64, 3, tall)).toMatchObject({ first: 0, total: 6400 + 136 });
    // Scrolled into the tall row: it is the first in view.
    expect(rowWindow(5 * 64 + 100, 360, 100, 64, 0, tall)).toMatchObject({ first: 5, paddingTop: 320 });
    // Past it: every later row sits 136 px lower.
    expect(rowWindow(5 * 64 + 200 + 64 * 2, 360, 100, 64, 0, tall)).toMatchObject({ first: 8, paddingTop: 8 * 64 + 136 });
  });

  it("always starts at or above the row at the scroll offset (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 499 }), fc.integer({ min: 64, max: 600 }), fc.integer({ min: 0, max: 40_000 }), (count, index, height, scroll) => {
        const tall = { index: Math.min(index, count - 1), height };
        const { first, paddingTop, total } = rowWindow(Math.min(scroll, total0(count, height)), 360, count, 64, 0, tall);
        return paddingTop <= Math.min(scroll, total0(count, height)) + 0 && first <= count && total === count * 64 + height - 64;
      }),
    );
  });
});

const total0 = (count: number, height: number) => count * 64 + height - 64;
