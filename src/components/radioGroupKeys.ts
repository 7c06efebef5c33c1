// A radio group's keyboard (WAI-ARIA): one tab stop on the checked option; arrow keys, Home and
// End move the choice and the focus together.
const STEPS: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (index, count) => (index + 1) % count,
  ArrowDown: (index, count) => (index + 1) % count,
  ArrowLeft: (index, count) => (index - 1 + count) % count,
  ArrowUp: (index, count) => (index - 1 + count) % count,
  Home: () => 0,
  End: (_index, count) => count - 1,
};

/** Handles a key on the radio at `index` of `values`: chooses the next value and focuses its radio. */
export function onRadioKeydown<T>(event: KeyboardEvent, index: number, values: readonly T[], choose: (value: T) => void) {
  const step = STEPS[event.key];
  if (!step) return;
  event.preventDefault();
  const next = step(index, values.length);
  choose(values[next]!);
  ((event.currentTarget as HTMLElement).parentElement?.children[next] as HTMLElement | undefined)?.focus();
}
