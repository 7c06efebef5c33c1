/** A hidden window paints no frames and a busy one may stay busy: wait at most this long. */
const LONGEST_WAIT_MS = 300;

/**
 * Resolves once the panel's first frame has been painted and the browser has idle time: work
 * started then (opening IndexedDB, reading history) neither delays that frame nor the next ones.
 * A requestAnimationFrame callback runs just before a paint; the idle callback it requests runs
 * after it (WebKit has no requestIdleCallback: a task queued from the frame also runs after it).
 */
export function afterFirstPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, LONGEST_WAIT_MS);
    const done = () => {
      clearTimeout(fallback);
      resolve();
    };
    requestAnimationFrame(() => (typeof requestIdleCallback === "function" ? requestIdleCallback(done, { timeout: LONGEST_WAIT_MS }) : setTimeout(done)));
  });
}
