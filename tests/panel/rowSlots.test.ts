import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextRowSlots, noRowSlots, type RowSlots } from "../../src/components/rowSlots.ts";

const window = (first: number, keys: number[]): RowSlots => ({ first, keys });

describe("row slots of the virtual history list", () => {
  it("gives a new window fresh keys in order", () => {
    expect(nextRowSlots(noRowSlots, 0, 4)).toEqual(window(0, [0, 1, 2, 3]));
  });

  it("keeps the keys of rows still in view and hands the left row's key to the entering one", () => {
    expect(nextRowSlots(window(10, [0, 1, 2, 3]), 11, 4)).toEqual(window(11, [1, 2, 3, 0]));
    expect(nextRowSlots(window(10, [0, 1, 2, 3]), 9, 4)).toEqual(window(9, [3, 0, 1, 2]));
  });

  it("keeps the key order on a jump with no row in common, so no element moves", () => {
    expect(nextRowSlots(window(10, [2, 0, 3, 1]), 500, 4)).toEqual(window(500, [2, 0, 3, 1]));
  });

  it("drops keys when the window shrinks and adds unused ones when it grows", () => {
    expect(nextRowSlots(window(10, [0, 1, 2, 3]), 12, 2)).toEqual(window(12, [2, 3]));
    expect(nextRowSlots(window(12, [2, 3]), 12, 4)).toEqual(window(12, [2, 3, 4, 5]));
  });

  it("keeps keys unique, and a row's key while it stays in view, over any sequence of windows", () => {
    const step = fc.record({ first: fc.nat(200), count: fc.nat(30) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let slots = noRowSlots;
        for (const { first, count } of steps) {
          const next = nextRowSlots(slots, first, count);
          expect(next.keys).toHaveLength(count);
          expect(new Set(next.keys).size).toBe(count);
          next.keys.forEach((key, offset) => {
            const before = first + offset - slots.first;
            if (before >= 0 && before < slots.keys.length) expect(key).toBe(slots.keys[before]);
          });
          slots = next;
        }
      }),
    );
  });
});
