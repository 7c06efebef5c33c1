// Work on a large answer is cut into tasks: between two, the page paints and handles input.

type Scheduler = { yield?: () => Promise<void> };

/** Ends the current task: `scheduler.yield()` where the engine has it (the rest runs first), else a fresh macrotask. */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}
