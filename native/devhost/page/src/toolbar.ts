/**
 * The dev toolbar, outside the panel. Every control has a stable accessible name so end-to-end
 * tests can drive it: radio groups "Theme" (Light, Dark), "Locale" (English, Chinese),
 * "Session" (Signed out, HaloForge Cloud, Enterprise Server), "Host bridge" (Present, Missing,
 * Throws, Malformed answers); button "Remount panel";
 * textbox "Suggested custom endpoint base URL"; textbox "Next managed gateway fault" with
 * button "Queue fault"; status "Dev host status".
 */
import type { BridgeMode, Session } from "./types.ts";
import type { Theme } from "./themes.ts";

export type Locale = "en" | "zh";

export interface ToolbarState {
  theme: Theme;
  locale: Locale;
  session: Session;
  customEndpointSuggestion: string | null;
  faultsAvailable: boolean;
}

export interface ToolbarActions {
  setTheme(theme: Theme): void;
  setLocale(locale: Locale): void;
  setSession(session: Session): Promise<void>;
  setBridge(mode: BridgeMode): void;
  remount(): void;
  queueFault(spec: string): Promise<void>;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function radioGroup<T extends string>(name: string, options: [T, string][], current: T, onChange: (value: T) => void): HTMLElement {
  const group = element("fieldset", { className: "devhost-group" }, element("legend", {}, name));
  group.setAttribute("role", "radiogroup");
  group.setAttribute("aria-label", name);
  for (const [value, label] of options) {
    const input = element("input", { type: "radio", name: `devhost-${name.toLowerCase()}`, value, checked: value === current });
    input.addEventListener("change", () => {
      if (input.checked) onChange(value);
    });
    group.append(element("label", { className: "devhost-option" }, input, label));
  }
  return group;
}

export function renderToolbar(container: HTMLElement, state: ToolbarState, actions: ToolbarActions): { setStatus(text: string): void } {
  const status = element("output", { className: "devhost-status" });
  status.setAttribute("role", "status");
  status.setAttribute("aria-label", "Dev host status");

  const suggestion = element("input", { type: "text", readOnly: true, value: state.customEndpointSuggestion ?? "", className: "devhost-url" });
  suggestion.setAttribute("aria-label", "Suggested custom endpoint base URL");

  const fault = element("input", { type: "text", placeholder: "rate-limit:2, 500, drip:100 …", className: "devhost-fault" });
  fault.setAttribute("aria-label", "Next managed gateway fault");
  const queue = element("button", { type: "button", textContent: "Queue fault", disabled: !state.faultsAvailable });
  queue.addEventListener("click", () => {
    const spec = fault.value.trim();
    if (spec) void actions.queueFault(spec).then(() => (fault.value = ""));
  });

  const remount = element("button", { type: "button", textContent: "Remount panel" });
  remount.addEventListener("click", () => actions.remount());

  container.replaceChildren(
    element("strong", { className: "devhost-title" }, "HaloForge dev host"),
    radioGroup<Theme>("Theme", [["light", "Light"], ["dark", "Dark"]], state.theme, actions.setTheme),
    radioGroup<Locale>("Locale", [["en", "English"], ["zh", "Chinese"]], state.locale, actions.setLocale),
    radioGroup<Session>(
      "Session",
      [["signedOut", "Signed out"], ["cloud", "HaloForge Cloud"], ["enterprise", "Enterprise Server"]],
      state.session,
      (session) => void actions.setSession(session),
    ),
    radioGroup<BridgeMode>(
      "Host bridge",
      [["present", "Present"], ["missing", "Missing"], ["throws", "Throws"], ["malformed", "Malformed answers"]],
      "present",
      actions.setBridge,
    ),
    element("label", { className: "devhost-field" }, "Custom endpoint ", suggestion),
    element("span", { className: "devhost-field" }, fault, queue),
    remount,
    status,
  );
  return { setStatus: (text) => (status.value = text) };
}
