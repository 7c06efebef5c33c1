// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { isTyping, SHORTCUT_SHEET, shortcutOf } from "../../src/keyboard/shortcuts.ts";

const press = (key: string, target: EventTarget | null = document.body, more: Partial<KeyboardEvent> = {}) => shortcutOf({ key, ctrlKey: false, metaKey: false, altKey: false, target, ...more });

describe("panel shortcuts", () => {
  it("maps ?, G, E, R and Shift+R, whatever the letter case of G, E and r", () => {
    expect(press("?")).toBe("help");
    expect(press("g")).toBe("generateMode");
    expect(press("G")).toBe("generateMode");
    expect(press("e")).toBe("editMode");
    expect(press("r")).toBe("retry");
    expect(press("R")).toBe("runAgain");
    expect(press("x")).toBeUndefined();
    expect(press("Enter")).toBeUndefined();
  });

  it("stays quiet while the user types in a field, or holds Ctrl, Cmd or Alt", () => {
    for (const tag of ["textarea", "select"]) expect(press("g", document.createElement(tag))).toBeUndefined();
    const input = document.createElement("input");
    expect(press("?", input)).toBeUndefined();
    expect(isTyping(null)).toBe(false);
    const box = document.createElement("input");
    box.type = "checkbox";
    expect(press("r", box)).toBe("retry");
    expect(press("g", document.body, { ctrlKey: true })).toBeUndefined();
    expect(press("r", document.body, { altKey: true })).toBeUndefined();
  });

  it("lists every shortcut on the sheet, Ctrl+Enter and the viewer's keys with them", () => {
    expect(SHORTCUT_SHEET.map((line) => line.keys.join("+"))).toEqual(["Ctrl+Enter", "G", "E", "R", "Shift+R", "←+→", "Home+End", "Esc", "?"]);
  });
});
