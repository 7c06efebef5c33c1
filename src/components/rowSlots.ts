/** The keys of a virtual list's rendered window, in display order, starting at absolute row `first`. */
export interface RowSlots {
  first: number;
  keys: number[];
}

export const noRowSlots: RowSlots = { first: 0, keys: [] };

/**
 * Keys for the window of `count` rows at `first`, given the previous window. A row still in view
 * keeps its key (so its element, and any focus inside it, stays with it); rows that left hand their
 * keys, in their old order, to the rows that entered. A jump with no row in common therefore keeps
 * the key order as it was and Vue only patches rows: it never moves one (a moved element is
 * restyled and laid out from scratch).
 */
export function nextRowSlots(previous: RowSlots, first: number, count: number): RowSlots {
  const keys: (number | undefined)[] = Array.from({ length: count }, (_, offset) => previous.keys[first + offset - previous.first]);
  const kept = new Set(keys);
  const free = previous.keys.filter((key) => !kept.has(key));
  let fresh = Math.max(-1, ...previous.keys) + 1;
  return { first, keys: keys.map((key) => key ?? free.shift() ?? fresh++) };
}
