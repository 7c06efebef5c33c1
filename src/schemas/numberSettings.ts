// The settings typed as numbers, with their allowed ranges: the settings schema's rules and the
// settings panel's messages both read them here.

export const NUMBER_SETTINGS = {
  timeoutSeconds: { min: 10, max: 3_600 },
  maxRetries: { min: 0, max: 5 },
  concurrency: { min: 1, max: 6 },
} as const;
export type NumberSetting = keyof typeof NUMBER_SETTINGS;

/**
 * What the user typed in a number setting, as the number to save, or undefined when it is not a
 * whole number in the setting's range. Whole numbers only: the timeout is counted in seconds, the
 * others are counts, and a fraction would be saved as something other than what was typed.
 */
export function parseNumberSetting(field: NumberSetting, typed: string): number | undefined {
  const text = typed.trim();
  if (!/^\d{1,6}$/.test(text)) return undefined;
  const value = Number(text);
  const { min, max } = NUMBER_SETTINGS[field];
  return value >= min && value <= max ? value : undefined;
}
