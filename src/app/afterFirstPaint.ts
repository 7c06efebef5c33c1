/** A hidden window paints no frames: wait at most this long for one. */
const HIDDEN_WAIT_MS = 250;

/**
 * Resolves once the frame in flight has been painted: a requestAnimationFrame callback runs just
 * before the paint, a task it queues runs after it. Work started then stays off the first paint.
 */
export function afterFirstPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, HIDDEN_WAIT_MS);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }),
    );
  });
}
