import type { MessageKey } from "../i18n/messages.ts";

/** What a panel shortcut does. */
export type ShortcutAction = "help" | "generateMode" | "editMode" | "retry" | "runAgain";

/** The "?" sheet's lines: the keys as shown, and what they do (both languages through the catalogue). */
export const SHORTCUT_SHEET: readonly { keys: readonly string[]; label: MessageKey }[] = [
  { keys: ["Ctrl", "Enter"], label: "shortcuts.send" },
  { keys: ["G"], label: "shortcuts.generateMode" },
  { keys: ["E"], label: "shortcuts.editMode" },
  { keys: ["R"], label: "shortcuts.retry" },
  { keys: ["Shift", "R"], label: "shortcuts.runAgain" },
  { keys: ["←", "→"], label: "shortcuts.viewerMove" },
  { keys: ["Home", "End"], label: "shortcuts.viewerEnds" },
  { keys: ["Esc"], label: "shortcuts.close" },
  { keys: ["?"], label: "shortcuts.help" },
];

const TEXT_INPUTS = new Set(["text", "search", "number", "url", "password", "email", "tel", ""]);

/** Whether a key press goes to something the user types in: then single-key shortcuts stay quiet. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== "string") return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  const tag = element.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && TEXT_INPUTS.has((element as HTMLInputElement).type ?? "");
}

const KEYS: Record<string, ShortcutAction> = { "?": "help", g: "generateMode", e: "editMode", r: "retry", R: "runAgain" };

/** The panel shortcut a key press is, or undefined (typing, a modifier held, or no shortcut). */
export function shortcutOf(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "target">): ShortcutAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return undefined;
  const key = event.key.length === 1 && event.key !== "R" ? event.key.toLowerCase() : event.key;
  return Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
}
