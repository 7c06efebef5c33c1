/**
 * A value built the first time it is asked for, then kept. The machines are built this way: a
 * panel's evaluation builds none of them, its core builds them when it starts (after the first paint).
 */
export function onFirstUse<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
