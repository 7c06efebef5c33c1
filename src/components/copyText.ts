/** Puts text on the clipboard where the host allows it; a refusal changes nothing. */
export const copyText = (text: string) => void navigator.clipboard?.writeText(text).catch(() => undefined);
