import * as z from "zod/mini";

/**
 * Reads a stored object field by field: each field that fails its schema falls back to its
 * default (and is named in `repaired`), the valid ones are kept, unknown fields are dropped. So one
 * bad field, from another version or a hand edit, never costs the rest. `shape` is asked for only
 * when something is stored, so nothing stored builds no schema.
 */
export function repairFields<T extends object>(
  shape: () => { [K in keyof T]-?: z.ZodMiniType },
  defaults: T,
  stored: unknown,
): { value: T; repaired: (keyof T)[] } {
  const value = { ...defaults };
  const repaired: (keyof T)[] = [];
  if (stored === null || typeof stored !== "object") return { value, repaired };
  const source = stored as Record<string, unknown>;
  const fields = shape();
  for (const key of Object.keys(fields) as (keyof T & string)[]) {
    if (!(key in source)) continue;
    const field = z.safeParse(fields[key], source[key]);
    if (field.success) value[key] = field.data as T[typeof key];
    else repaired.push(key);
  }
  return { value, repaired };
}
