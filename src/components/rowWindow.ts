/** One row of a fixed-height virtual list may be taller (expanded to its full text): its index and height. */
export interface TallRow {
  index: number;
  height: number;
}

/**
 * The rows of a virtual list in view at `scrollTop` (with `overscan` rows of margin either side):
 * every row is `row` px except one expanded row, so the window stays a sum, not a measure of each.
 */
export function rowWindow(scrollTop: number, viewport: number, count: number, row: number, overscan: number, tall?: TallRow): { first: number; length: number; paddingTop: number; total: number } {
  const extra = tall && tall.index < count ? Math.max(0, tall.height - row) : 0;
  const top = (index: number) => index * row + (tall && index > tall.index ? extra : 0);
  // The row at scrollTop: before the tall one, inside it, or after it.
  let atTop = Math.floor(scrollTop / row);
  if (tall && extra && atTop > tall.index) atTop = scrollTop < top(tall.index) + tall.height ? tall.index : tall.index + 1 + Math.floor((scrollTop - top(tall.index) - tall.height) / row);
  const first = Math.max(0, Math.min(atTop, count) - overscan);
  const length = Math.max(0, Math.min(count - first, Math.ceil(viewport / row) + 1 + 2 * overscan));
  return { first, length, paddingTop: top(first), total: count * row + extra };
}
