/** A hidden window paints no frames and a busy one may stay busy: wait at most this long. */
const LONGEST_WAIT_MS = 300;

const nextFrame = () =>
  new Promise<void>((resolve) => {
    const fallback = setTimeout(resolve, LONGEST_WAIT_MS);
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      resolve();
    });
  });

// WebKit has no requestIdleCallback: a task queued from the frame also runs after its paint.
const nextIdle = () => new Promise<void>((resolve) => (typeof requestIdleCallback === "function" ? requestIdleCallback(() => resolve(), { timeout: LONGEST_WAIT_MS }) : setTimeout(resolve)));

/**
 * Work that waits for the panel's first paint, one piece per idle period: each call returns a
 * promise that settles in its own idle period after that paint, in call order. A
 * requestAnimationFrame callback runs just before a paint and the idle callbacks after it; a piece
 * that fits its idle period delays no frame, where all of them at once would delay the next one.
 */
export function afterFirstPaint(): () => Promise<void> {
  // Requested now, before the synchronous mount, so the frame it waits for is the mounted panel's.
  let last = nextFrame();
  return () => (last = last.then(nextIdle));
}
